/** The storage backend the configuration names. */
import { DeploySmithError } from '@deploysmith/core';
import type { StorageLocation } from '../config/resolve.ts';
import { openDiskStorage } from './disk.ts';
import type { VersionStorage } from './types.ts';

export async function openStorage(location: StorageLocation, publicUrl: string): Promise<VersionStorage> {
  if (location.kind === 'file') return openDiskStorage({ root: location.path, publicUrl });
  throw new DeploySmithError('invalid_input', 'S3 storage is not available in this smithd build yet.', {
    hint: 'Use file:PATH storage (the default).',
  });
}
