import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareUnpin(program: Command): void {
  const command = program
    .command('unpin')
    .summary("lift a rollback's pin")
    .description("lift a rollback's pin, so auto-deploy policies deploy to the environment again")
    .argument('<app>', 'app name')
    .requiredOption('--env <environment>', 'the pinned environment')
    .action(async (app: string, _options, self: Command) => {
      const { unpin } = await import('./unpin.ts');
      await unpin(app, optionsOf(self));
    });
  addJsonOption(command);
  withExamples(command, ['smithctl unpin hello --env production']);
}
