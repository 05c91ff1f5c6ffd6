import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declarePolicy(program: Command): void {
  const policy = program
    .command('policy')
    .summary('set, list and remove auto-deploy policies')
    .description(
      'auto-deploy policies: which new versions are deployed to an environment as soon as they are published',
    );
  withExamples(policy, [
    'smithctl policy set hello --env staging --branch main',
    'smithctl policy list hello',
    'smithctl policy rm hello --env staging',
  ]);

  const set = policy
    .command('set')
    .description('auto-deploy versions from matching branches (and/or tags) to an environment')
    .argument('<app>', 'app name')
    .requiredOption('--env <environment>', 'the environment to deploy to')
    .option('--branch <glob>', 'versions built from a matching branch, e.g. main or release/*')
    .option('--tag <glob>', 'versions built from a matching tag, e.g. v*')
    .action(async (app: string, _options, self: Command) => {
      const { setPolicy } = await import('./policy.ts');
      await setPolicy(app, optionsOf(self));
    });
  addJsonOption(set);
  set.addHelpText('after', '\nA pinned environment (after a rollback) is skipped until `smithctl unpin`.');
  withExamples(set, [
    'smithctl policy set hello --env staging --branch main',
    "smithctl policy set hello --env production --branch 'release/*' --tag 'v*'",
  ]);

  const list = policy
    .command('list')
    .alias('ls')
    .description('list the auto-deploy policies of an app')
    .argument('<app>', 'app name')
    .action(async (app: string, _options, self: Command) => {
      const { listPolicies } = await import('./policy.ts');
      await listPolicies(app, optionsOf(self));
    });
  addJsonOption(list);
  withExamples(list, ['smithctl policy list hello']);

  const rm = policy
    .command('rm')
    .alias('remove')
    .description('stop auto-deploying to an environment')
    .argument('<app>', 'app name')
    .requiredOption('--env <environment>', 'the environment')
    .action(async (app: string, _options, self: Command) => {
      const { removePolicy } = await import('./policy.ts');
      await removePolicy(app, optionsOf(self));
    });
  addJsonOption(rm);
  withExamples(rm, ['smithctl policy rm hello --env staging']);
}
