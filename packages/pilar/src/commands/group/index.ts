import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { groupAddCommand } from './add/index.ts';
import { groupRemoveCommand } from './rm/index.ts';

export function groupCommand(): Command {
  const command = new Command('group')
    .description('membership of products in environments/productGroups.yaml')
    .addCommand(groupAddCommand())
    .addCommand(groupRemoveCommand());
  return withExamples(command, [
    'pilar group add patientlist-domain favn-feature-patientlist',
    'pilar group rm appointments-domain favn-feature-patientlist',
  ]);
}
