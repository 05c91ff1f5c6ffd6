import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareContext(program: Command): void {
  const context = program
    .command('context')
    .summary('list, switch and remove contexts')
    .description('list, switch and remove saved contexts (server + API key)');
  withExamples(context, ['smithctl context list', 'smithctl context use staging', 'smithctl context rm old']);

  const list = context
    .command('list')
    .alias('ls')
    .description('list the contexts; the current one is marked')
    .action(async (_options, self: Command) => {
      const { listContextsCommand } = await import('./context.ts');
      await listContextsCommand(optionsOf(self));
    });
  addJsonOption(list);
  withExamples(list, ['smithctl context list', 'smithctl context list --json']);

  const use = context
    .command('use')
    .description('make a context the current one')
    .argument('<name>', 'context name')
    .action(async (name: string, _options, self: Command) => {
      const { useContextCommand } = await import('./context.ts');
      await useContextCommand(name, optionsOf(self));
    });
  addJsonOption(use);
  withExamples(use, ['smithctl context use production']);

  const rm = context
    .command('rm')
    .alias('remove')
    .description('remove a context and its API key')
    .argument('<name>', 'context name')
    .action(async (name: string, _options, self: Command) => {
      const { removeContextCommand } = await import('./context.ts');
      await removeContextCommand(name, optionsOf(self));
    });
  addJsonOption(rm);
  withExamples(rm, ['smithctl context rm staging']);
}
