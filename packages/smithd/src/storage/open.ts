/** The storage backend the configuration names; the S3 one (and the AWS SDK) loads only when named. */
import { join } from 'node:path';
import type { StorageLocation } from '../config/resolve.ts';
import { openDiskStorage } from './disk.ts';
import type { VersionStorage } from './types.ts';

export interface StorageOptions {
  /** Base URL clients reach smithd at (the disk storage's upload URLs). */
  publicUrl: string;
  /** smithd's data directory: S3 downloads wait in `<dataDir>/tmp/s3` while they are read. */
  dataDir: string;
}

export async function openStorage(
  location: StorageLocation,
  options: StorageOptions,
): Promise<VersionStorage> {
  if (location.kind === 'file') return openDiskStorage({ root: location.path, publicUrl: options.publicUrl });
  const { openS3Storage } = await import('./s3.ts');
  return openS3Storage(location, { tmpDir: join(options.dataDir, 'tmp', 's3') });
}
