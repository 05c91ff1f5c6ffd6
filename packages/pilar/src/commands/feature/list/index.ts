import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { type RepoOptions, repoOptions } from '../../options.ts';

export interface FeatureListOptions extends RepoOptions {
  stage?: string;
}

export function featureListCommand(): Command {
  const command = new Command('list')
    .description('features × stages, with the (short) digest each stage runs')
    .option('--stage <stage>', 'only this stage');
  repoOptions(command);
  withExamples(command, ['pilar feature list', 'pilar feature list --stage production --json']);
  return command.action(async (options: FeatureListOptions) => {
    const { featureList } = await import('./list.ts');
    await featureList(options);
  });
}
