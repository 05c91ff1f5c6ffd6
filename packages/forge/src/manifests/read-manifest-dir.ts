/**
 * The manifests of a folder as the validator wants them: every `*.yaml`/`*.yml`, nested folders
 * included, with paths relative to the folder in POSIX form (as they will be inside the bundle).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { MANIFEST_GLOB, type ManifestFile } from '@deploysmith/manifests';
import { glob } from 'tinyglobby';

export async function readManifestDir(dir: string): Promise<ManifestFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new DeploySmithError('invalid_input', `Manifest folder ${dir} does not exist.`, {
      hint: 'Give the folder that holds the Kubernetes manifests (default ./manifests), or render them with forge build.',
    });
  }
  const paths = (await glob(MANIFEST_GLOB, { cwd: dir, onlyFiles: true, followSymbolicLinks: false })).sort();
  if (paths.length === 0) {
    throw new DeploySmithError('invalid_input', `No manifests (*.yaml, *.yml) in ${dir}.`, {
      hint: 'Put the Kubernetes manifests of the app there, or render them with forge build.',
    });
  }
  return Promise.all(paths.map(async (path) => ({ path, content: await readFile(join(dir, path)) })));
}
