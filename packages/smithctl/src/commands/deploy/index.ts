import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .summary('deploy a version to an environment')
    .description('deploy a version of an app to an environment and print the GitOps commit it made')
    .argument('<app>', 'app name')
    .argument('<version>', 'version id (see `smithctl versions APP`)')
    .requiredOption('--env <environment>', 'the environment to deploy to')
    .option('--dry-run', 'print what the deploy would change (files and diff), change nothing')
    .option('-y, --yes', 'do not ask before a rollback (needed without a terminal)')
    .action(async (app: string, version: string, _options, self: Command) => {
      const { deploy } = await import('./deploy.ts');
      await deploy(app, version, optionsOf(self));
    });
  addJsonOption(command);
  command.addHelpText(
    'after',
    '\nDeploying a version older than the one deployed is a rollback: it asks first (--yes skips) and pins\nthe environment, so auto-deploy leaves it alone until `smithctl unpin` or a deploy of a newer version.',
  );
  withExamples(command, [
    'smithctl deploy hello 42540c4-123 --env staging',
    'smithctl deploy hello 42540c4-123 --env production --dry-run',
    'smithctl deploy hello 1.3.0 --env production --yes   # an older version: a rollback',
  ]);
}
