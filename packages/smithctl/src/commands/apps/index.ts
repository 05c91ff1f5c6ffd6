import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, collect, optionsOf } from '../declare.ts';

export function declareApps(program: Command): void {
  const apps = program
    .command('apps')
    .summary('register and list apps')
    .description('register apps and list them');
  withExamples(apps, ['smithctl apps register hello --env staging --env production', 'smithctl apps list']);

  const register = apps
    .command('register')
    .description('register an app, the environments it deploys to, and its GitOps repo')
    .argument('<app>', 'app name (a DNS label, e.g. hello-world)')
    .requiredOption('--env <environment>', 'an environment the app deploys to (repeat for more)', collect)
    .option('--repo <name>', 'the GitOps repo configured in smithd (default: its only one)')
    .action(async (app: string, _options, self: Command) => {
      const { registerApp } = await import('./apps.ts');
      await registerApp(app, optionsOf(self));
    });
  addJsonOption(register);
  withExamples(register, [
    'smithctl apps register hello --env staging --env production',
    'smithctl apps register billing --env production --repo platform-gitops',
  ]);

  const list = apps
    .command('list')
    .alias('ls')
    .description('list the apps and what runs in each of their environments')
    .action(async (_options, self: Command) => {
      const { listApps } = await import('./apps.ts');
      await listApps(optionsOf(self));
    });
  addJsonOption(list);
  withExamples(list, ['smithctl apps list', 'smithctl apps list --json']);
}
