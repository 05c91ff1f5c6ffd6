import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf, parseLimit } from '../declare.ts';

export function declareHistory(program: Command): void {
  const command = program
    .command('history')
    .summary('the deploys of an app, newest first')
    .description('the deploys of an app, newest first: version, kind, what it replaced, who, commit, outcome')
    .argument('<app>', 'app name')
    .option('--env <environment>', 'only deploys to this environment')
    .option('--limit <n>', 'deploys per page, 1-500 (default: 20; 500 with --all)', parseLimit)
    .option('--cursor <cursor>', 'continue where the previous page ended')
    .option('--all', 'list every deploy (all pages)')
    .action(async (app: string, _options, self: Command) => {
      const { history } = await import('./history.ts');
      await history(app, optionsOf(self));
    });
  addJsonOption(command);
  withExamples(command, [
    'smithctl history hello',
    'smithctl history hello --env production --limit 5',
    'smithctl history hello --all --json',
  ]);
}
