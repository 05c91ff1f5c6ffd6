import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type EditOptions, editOptions } from '../../options.ts';

export function groupAddCommand(): Command {
  const command = new Command('add')
    .description('add a product to a product group (the group is created when missing)')
    .argument('<group>', 'product group, e.g. patientlist-domain')
    .argument('<product>', 'product folder under products/');
  editOptions(command);
  withExamples(command, ['pilar group add patientlist-domain favn-feature-patientlist --commit']);
  return command.action(async (group: string, product: string, options: EditOptions) => {
    const { groupAdd } = await import('./add.ts');
    await groupAdd(group, product, options);
  });
}
