import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import { addJsonOption, optionsOf, parseLimit } from '../declare.ts';

export function declareVersions(program: Command): void {
  const versions = program
    .command('versions')
    .summary('list the versions of an app; `versions show` one')
    .description('list the versions of an app, newest first, and where each one is deployed')
    .argument('<app>', 'app name')
    .option('--limit <n>', 'versions per page, 1-500 (default: 20; 500 with --all)', parseLimit)
    .option('--branch <glob>', 'only versions built from matching branches, e.g. main or release/*')
    .option('--cursor <cursor>', 'continue a listing where the previous page ended')
    .option('--all', 'list every version (all pages)')
    .action(async (app: string, _options, self: Command) => {
      const { listVersions } = await import('./versions.ts');
      await listVersions(app, optionsOf(self));
    });
  addJsonOption(versions);
  withExamples(versions, [
    'smithctl versions hello',
    'smithctl versions hello --branch main --limit 5',
    'smithctl versions hello --all --json',
    'smithctl versions show hello 42540c4-123',
  ]);

  const show = versions
    .command('show')
    .description('show one version: metadata, bundle, where it runs and its files')
    .argument('<app>', 'app name')
    .argument('<version>', 'version id')
    .action(async (app: string, version: string, _options, self: Command) => {
      const { showVersion } = await import('./versions.ts');
      await showVersion(app, version, optionsOf(self));
    });
  addJsonOption(show);
  withExamples(show, ['smithctl versions show hello 42540c4-123']);
}
