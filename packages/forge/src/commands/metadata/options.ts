import type { MetadataOverrides } from '../../metadata/collect-metadata.ts';

export interface MetadataOptions extends MetadataOverrides {
  app?: string;
  json?: boolean;
}
