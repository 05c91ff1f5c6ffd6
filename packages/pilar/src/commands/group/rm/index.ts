import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type EditOptions, editOptions } from '../../options.ts';

export function groupRemoveCommand(): Command {
  const command = new Command('rm')
    .description('remove a product from a product group')
    .argument('<group>', 'product group')
    .argument('<product>', 'product to remove');
  editOptions(command);
  withExamples(command, ['pilar group rm appointments-domain favn-feature-patientlist --dry-run']);
  return command.action(async (group: string, product: string, options: EditOptions) => {
    const { groupRemove } = await import('./rm.ts');
    await groupRemove(group, product, options);
  });
}
