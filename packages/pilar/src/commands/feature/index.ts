import { Command } from 'commander';
import { featureBumpCommand } from './bump/index.ts';
import { featureInitCommand } from './init/index.ts';
import { featureListCommand } from './list/index.ts';
import { featurePromoteCommand } from './promote/index.ts';
import { featureRollbackCommand } from './rollback/index.ts';

export function featureCommand(): Command {
  return new Command('feature')
    .description('feature registration products: release, promote, roll back, list, create')
    .addCommand(featureBumpCommand())
    .addCommand(featurePromoteCommand())
    .addCommand(featureRollbackCommand())
    .addCommand(featureListCommand())
    .addCommand(featureInitCommand());
}
