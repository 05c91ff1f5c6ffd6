import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareRollback(program: Command): void {
  const command = program
    .command('rollback')
    .summary('go back to the previous (or a given) version')
    .description('go back to the version deployed before the current one (or to --to VERSION)')
    .argument('<app>', 'app name')
    .requiredOption('--env <environment>', 'the environment to roll back')
    .option('--to <version>', 'an older version to go back to (default: the one before the current deploy)')
    .option('--dry-run', 'print what the rollback would change (files and diff), change nothing')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(async (app: string, _options, self: Command) => {
      const { rollback } = await import('./rollback.ts');
      await rollback(app, optionsOf(self));
    });
  addJsonOption(command);
  command.addHelpText(
    'after',
    '\nA rollback pins the environment: auto-deploy leaves it alone until `smithctl unpin` or a deploy of a\nnewer version.',
  );
  withExamples(command, [
    'smithctl rollback hello --env production',
    'smithctl rollback hello --env production --to 1.3.0 --yes',
    'smithctl rollback hello --env production --dry-run',
  ]);
}
