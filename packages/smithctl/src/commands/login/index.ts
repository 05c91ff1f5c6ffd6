import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf } from '../declare.ts';

export function declareLogin(program: Command): void {
  const command = program
    .command('login')
    .summary('save a server and API key as a context')
    .description('check a server and API key, and save them as a context (the current one from now on)')
    .action(async (_options, self: Command) => {
      const { login } = await import('./login.ts');
      await login(optionsOf(self));
    });
  addJsonOption(command);
  withExamples(command, [
    'smithctl login --server https://smithd.example.com --api-key dsk_…',
    'smithctl login --server https://smithd.staging.example.com --api-key dsk_… --context staging',
  ]);
}
