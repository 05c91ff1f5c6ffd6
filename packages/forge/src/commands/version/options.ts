import type { MetadataOverrides } from '../../metadata/collect-metadata.ts';

export interface VersionOptions extends MetadataOverrides {
  json?: boolean;
}
