/** A stored bundle read back into its version file and manifests, with the configured limits. */
import { readBundle } from '@deploysmith/bundle';
import type { ManifestFile } from '@deploysmith/manifests';
import type { Limits } from '../config/resolve.ts';
import type { LocalBundle } from '../storage/types.ts';

export async function readStoredBundle(bundle: LocalBundle, limits: Limits) {
  try {
    return await readBundle(bundle.path, bundleLimits(limits));
  } finally {
    await bundle.release();
  }
}

export function bundleLimits(limits: Limits) {
  return {
    maxFiles: limits.bundleFiles,
    maxUnpackedBytes: limits.unpackedBytes,
    maxCompressedBytes: limits.bundleBytes,
  };
}

export type { ManifestFile };
