import { Command } from 'commander';
import { groupAddCommand } from './add/index.ts';
import { groupRemoveCommand } from './rm/index.ts';

export function groupCommand(): Command {
  return new Command('group')
    .description('membership of products in environments/productGroups.yaml')
    .addCommand(groupAddCommand())
    .addCommand(groupRemoveCommand());
}
