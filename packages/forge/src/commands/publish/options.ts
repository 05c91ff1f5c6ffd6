import type { MetadataOverrides } from '../../metadata/collect-metadata.ts';

export interface PublishOptions extends MetadataOverrides {
  app: string;
  server?: string;
  apiKey?: string;
  /** `--no-validate` sets it to false. */
  validate: boolean;
  json?: boolean;
}
