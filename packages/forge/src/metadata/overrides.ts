import type { MetadataOverrides } from './collect-metadata.ts';

const KEYS = [
  'version',
  'gitSha',
  'branch',
  'tag',
  'committer',
  'buildNumber',
  'pipelineUrl',
  'createdAt',
] as const;

/** The metadata flags out of a command's options (which hold other flags too). */
export function metadataOverrides(options: MetadataOverrides): MetadataOverrides {
  const overrides: MetadataOverrides = {};
  for (const key of KEYS) {
    const value = options[key];
    if (typeof value === 'string') overrides[key] = value;
  }
  return overrides;
}
