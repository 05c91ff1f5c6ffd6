import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { addMetadataOptions } from '../metadata-options.ts';
import type { VersionOptions } from './options.ts';

export function versionCommand(): Command {
  const command = new Command('version')
    .description('Print the version id of this build: short git sha and CI build number, e.g. 42540c4-123')
    .option('--json', 'print {"id": …} as JSON');
  addMetadataOptions(command).action(async (options: VersionOptions) => {
    const { runVersion } = await import('./version.ts');
    await runVersion(options);
  });
  return withExamples(command, [
    'forge version',
    'forge version --build-number 123',
    'IMAGE_TAG=$(forge version)',
  ]);
}
