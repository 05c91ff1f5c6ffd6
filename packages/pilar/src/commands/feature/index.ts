import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { featureBumpCommand } from './bump/index.ts';
import { featureInitCommand } from './init/index.ts';
import { featureListCommand } from './list/index.ts';
import { featurePromoteCommand } from './promote/index.ts';
import { featureRollbackCommand } from './rollback/index.ts';

export function featureCommand(): Command {
  const command = new Command('feature')
    .description('feature registration products: release, promote, roll back, list, create')
    .addCommand(featureBumpCommand())
    .addCommand(featurePromoteCommand())
    .addCommand(featureRollbackCommand())
    .addCommand(featureListCommand())
    .addCommand(featureInitCommand());
  return withExamples(command, [
    'pilar feature bump patientlist --stage development --image registry.dips.no/favn-feature-patientlist:1.4.0 --commit',
    'pilar feature promote patientlist --from development --to production --branch promote/patientlist',
    'pilar feature list',
  ]);
}
