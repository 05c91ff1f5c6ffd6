import { withExamples } from '@deploysmith/cli-kit';
import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/layers.ts';
import { addConfigOptions } from '../config-options.ts';

export function registerHistory(program: Command): void {
  const history = program
    .command('history')
    .description('Deployment history kept in the GitOps repositories');
  const rebuild = addConfigOptions(
    history
      .command('rebuild')
      .description(
        "Refill an empty deployment history from the repository's commit trailers (after losing the database)",
      ),
  )
    .requiredOption('--repo <name>', 'the configured GitOps repository to read')
    .option('--json', 'print one JSON document');
  withExamples(rebuild, [
    'smithd history rebuild --repo gitops',
    'smithd history rebuild --repo fleet --config /etc/smithd.yaml',
  ]);
  rebuild.action(async (flags: ConfigFlags & { repo: string; json?: boolean }) => {
    const { rebuildCommand } = await import('./rebuild.ts');
    await rebuildCommand(flags);
  });
}
