/**
 * The manifests of a folder as the validator wants them: exactly the files `forge publish` packs
 * (the bundle's own collector: `*.yaml`/`*.yml`, nested folders included, dot-files left out,
 * symlinks followed inside the folder and refused out of it or in a loop), with paths relative to the
 * folder in POSIX form (as they will be inside the bundle). The sizes are checked before anything
 * is read, so validating a folder far over the limits does not load it into memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { collectManifests } from '@deploysmith/bundle';
import { DeploySmithError } from '@deploysmith/core';
import { DEFAULT_MANIFEST_LIMITS, type ManifestFile } from '@deploysmith/manifests';

export async function readManifestDir(dir: string): Promise<ManifestFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new DeploySmithError('invalid_input', `Manifest folder ${dir} does not exist.`, {
      hint: 'Give the folder that holds the Kubernetes manifests (default ./manifests), or render them with forge build.',
    });
  }
  const manifests = await collectManifests(dir);
  if (manifests.length === 0) {
    throw new DeploySmithError('invalid_input', `No manifests (*.yaml, *.yml) in ${dir}.`, {
      hint: 'Put the Kubernetes manifests of the app there, or render them with forge build.',
    });
  }
  const total = manifests.reduce((sum, manifest) => sum + manifest.size, 0);
  const limit = DEFAULT_MANIFEST_LIMITS.maxTotalBytes;
  if (total > limit) {
    throw new DeploySmithError(
      'invalid_manifests',
      `The manifests in ${dir} are ${total} bytes together, more than the limit of ${limit} bytes.`,
      {
        hint: 'smithd would refuse them too: keep large data out of manifests (in images, volumes or object storage).',
      },
    );
  }
  return Promise.all(manifests.map(async ({ path, source }) => ({ path, content: await readFile(source) })));
}
