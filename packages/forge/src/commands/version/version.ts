import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { collectMetadata } from '../../metadata/collect-metadata.ts';
import { metadataOverrides } from '../../metadata/overrides.ts';
import type { VersionOptions } from './options.ts';

export async function runVersion(options: VersionOptions): Promise<void> {
  const output = createOutput({ json: options.json });
  const { id } = await collectMetadata({ overrides: metadataOverrides(options) });
  if (output.json) printJson({ id });
  else print(id);
}
