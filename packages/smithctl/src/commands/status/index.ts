import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareStatus(program: Command): void {
  const command = program
    .command('status')
    .summary('what runs where, pins and policies')
    .description(
      'what runs in each environment of an app: version, when, by whom, commit, pin, auto-deploy policy',
    )
    .argument('<app>', 'app name')
    .action(async (app: string, _options, self: Command) => {
      const { status } = await import('./status.ts');
      await status(app, optionsOf(self));
    });
  addJsonOption(command);
  withExamples(command, ['smithctl status hello', 'smithctl status hello --json']);
}
