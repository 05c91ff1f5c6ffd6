import { createOutput, printJson } from '@deploysmith/cli-kit';
import { collectMetadata, versionFile } from '../../metadata/collect-metadata.ts';
import { metadataOverrides } from '../../metadata/overrides.ts';
import { renderVersionYaml } from '../../metadata/version-yaml.ts';
import type { MetadataOptions } from './options.ts';

export async function runMetadata(options: MetadataOptions): Promise<void> {
  const output = createOutput({ json: options.json });
  const collected = await collectMetadata({ overrides: metadataOverrides(options) });
  const document =
    options.app === undefined
      ? { id: collected.id, ...collected.metadata }
      : versionFile(options.app, collected);
  if (output.json) printJson(document);
  else process.stdout.write(renderVersionYaml(document));
}
