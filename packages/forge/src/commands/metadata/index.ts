import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { addMetadataOptions } from '../metadata-options.ts';
import type { MetadataOptions } from './options.ts';

export function metadataCommand(): Command {
  const command = new Command('metadata')
    .description('Print the version.yml that forge publish would put in the bundle')
    .option('--app <name>', 'app name to include')
    .option('--json', 'print it as JSON instead of YAML');
  addMetadataOptions(command).action(async (options: MetadataOptions) => {
    const { runMetadata } = await import('./metadata.ts');
    await runMetadata(options);
  });
  return withExamples(command, [
    'forge metadata --app hello-world',
    'forge metadata --json',
    'forge metadata --branch main --build-number 7 --created-at 2025-01-31T12:00:00Z',
  ]);
}
