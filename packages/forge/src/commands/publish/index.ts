import { withExamples } from '@deploysmith/cli-kit';
import { Command } from 'commander';
import { addMetadataOptions, addServerOptions } from '../metadata-options.ts';
import type { PublishOptions } from './options.ts';

export function publishCommand(): Command {
  const command = new Command('publish')
    .description(
      'Validate, pack, draft, upload and publish a version of an app; prints the version id and the auto-deploys it triggered. Safe to rerun.',
    )
    .argument('[dir]', 'folder of *.yaml/*.yml manifests, nested folders allowed', 'manifests')
    .requiredOption('--app <name>', 'app registered in smithd (required)')
    .option('--no-validate', 'skip local validation (smithd validates on publish anyway)')
    .option('--json', 'print {version, deployments, skipped, uploaded} as one JSON document');
  addServerOptions(command);
  addMetadataOptions(command).action(async (dir: string, options: PublishOptions) => {
    // git reads the commit in its own process while the rest of the publish code loads.
    const { startMetadata } = await import('./start-metadata.ts');
    const metadata = startMetadata(options);
    const { runPublish } = await import('./publish.ts');
    await runPublish(dir, options, metadata);
  });
  return withExamples(command, [
    'forge publish --app hello-world',
    'forge publish --app hello-world deploy/manifests --server https://smithd.example.com',
    'SMITH_URL=… SMITH_API_KEY=… forge publish --app hello-world --json',
    'forge publish --app hello-world --version 1.4.0',
  ]);
}
