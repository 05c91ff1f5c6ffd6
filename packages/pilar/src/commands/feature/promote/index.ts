import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type EditOptions, editOptions } from '../../options.ts';

export interface FeaturePromoteOptions extends EditOptions {
  from: string;
  to: string;
}

export function featurePromoteCommand(): Command {
  const command = new Command('promote')
    .description('make a stage run what another stage runs: image digest, dependency minimums, chart version')
    .argument('<feature>', 'feature product or short name')
    .requiredOption('--from <stage>', 'stage to copy from, e.g. development')
    .requiredOption('--to <stage>', 'stage to change, e.g. production');
  editOptions(command);
  withExamples(command, [
    'pilar feature promote patientlist --from development --to production',
    'pilar feature promote patientlist --from development --to production --branch promote/patientlist',
  ]);
  return command.action(async (feature: string, options: FeaturePromoteOptions) => {
    const { featurePromote } = await import('./promote.ts');
    await featurePromote(feature, options);
  });
}
