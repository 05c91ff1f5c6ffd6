/** The version metadata of a publish, started before the publish code loads (see index.ts). */
import { type CollectedMetadata, collectMetadata } from '../../metadata/collect-metadata.ts';
import { metadataOverrides } from '../../metadata/overrides.ts';
import type { PublishOptions } from './options.ts';

export function startMetadata(options: PublishOptions): Promise<CollectedMetadata> {
  const metadata = collectMetadata({ overrides: metadataOverrides(options) });
  // Awaited by the publish at its "Reading version metadata" step, which reports a failure.
  metadata.catch(() => undefined);
  return metadata;
}
