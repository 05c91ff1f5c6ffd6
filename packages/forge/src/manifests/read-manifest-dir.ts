/**
 * The manifests of a folder as the validator wants them: every `*.yaml`/`*.yml`, nested folders
 * included, dot-files left out (as the bundle packs them), with paths relative to the folder in
 * POSIX form (as they will be inside the bundle). The sizes are checked before anything is read,
 * so validating a folder far over the limits does not load it into memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { DEFAULT_MANIFEST_LIMITS, MANIFEST_GLOB, type ManifestFile } from '@deploysmith/manifests';
import { glob } from 'tinyglobby';

export async function readManifestDir(dir: string): Promise<ManifestFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new DeploySmithError('invalid_input', `Manifest folder ${dir} does not exist.`, {
      hint: 'Give the folder that holds the Kubernetes manifests (default ./manifests), or render them with forge build.',
    });
  }
  const paths = (
    await glob(MANIFEST_GLOB, { cwd: dir, dot: false, onlyFiles: true, followSymbolicLinks: false })
  ).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (paths.length === 0) {
    throw new DeploySmithError('invalid_input', `No manifests (*.yaml, *.yml) in ${dir}.`, {
      hint: 'Put the Kubernetes manifests of the app there, or render them with forge build.',
    });
  }
  const sizes = await Promise.all(paths.map(async (path) => (await stat(join(dir, path))).size));
  const total = sizes.reduce((sum, size) => sum + size, 0);
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
  return Promise.all(paths.map(async (path) => ({ path, content: await readFile(join(dir, path)) })));
}
