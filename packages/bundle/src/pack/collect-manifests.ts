/**
 * The manifests under a folder: `*.yaml`/`*.yml`, nested folders included, dot-files and
 * dot-folders left out (`.git`, editor files). Symlinks are followed: a file reached through one is
 * packed as the file it points to when that is inside the folder, and refused when it is outside: a
 * manifest folder must not be a way to publish `/etc/passwd` or a CI secret.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { MANIFEST_GLOB } from '@deploysmith/manifests';
import { glob } from 'tinyglobby';
import { clashKey, manifestPathProblem, quoteName } from '../paths.ts';

export interface CollectedManifest {
  /** Relative to the manifests folder, POSIX separators. */
  path: string;
  /** What to read: the file itself, or the target of a symlink inside the folder. */
  source: string;
  size: number;
}

export async function collectManifests(manifestsDir: string): Promise<CollectedManifest[]> {
  const root = await realpath(manifestsDir).catch((error: NodeJS.ErrnoException) => {
    throw new DeploySmithError(
      'invalid_input',
      `The manifests folder ${manifestsDir} cannot be read: ${error.code ?? error.message}.`,
      {
        hint: 'Pass the folder that holds the Kubernetes manifests (default ./manifests).',
        cause: error,
      },
    );
  });
  if (!(await stat(root)).isDirectory()) {
    throw new DeploySmithError('invalid_input', `${manifestsDir} is not a folder.`, {
      hint: 'Pass the folder that holds the Kubernetes manifests (default ./manifests).',
    });
  }
  const paths = await glob(MANIFEST_GLOB, {
    cwd: root,
    dot: false,
    onlyFiles: true,
    followSymbolicLinks: true,
  });
  // Byte order, not locale order: the bundle must be the same on every machine.
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await refuseSymlinkLoops(root, paths, manifestsDir);

  const collected: CollectedManifest[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    const problem = manifestPathProblem(path);
    if (problem !== undefined) {
      throw new DeploySmithError('invalid_input', `The manifest ${quoteName(path)} ${problem}.`, {
        hint: 'Rename the file: bundle paths use letters, digits, ".", "_", "-", "+" and "@", and end in .yaml or .yml.',
      });
    }
    const clash = seen.get(clashKey(path));
    if (clash !== undefined) {
      throw new DeploySmithError(
        'invalid_input',
        `The manifests ${quoteName(clash)} and ${quoteName(path)} differ only in case.`,
        {
          hint: 'Rename one of them: they would overwrite each other on macOS and Windows.',
        },
      );
    }
    seen.set(clashKey(path), path);
    // Every file is resolved, not only symlinks: a file inside a symlinked folder can be outside too.
    const source = await realpath(join(root, path)).catch(() => {
      throw new DeploySmithError('invalid_input', `The manifest ${quoteName(path)} is a broken symlink.`, {
        hint: 'Remove the link or point it at a file inside the manifests folder.',
      });
    });
    const inside = relative(root, source);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new DeploySmithError(
        'invalid_input',
        `The manifest ${quoteName(path)} is a symlink to ${source}, outside ${manifestsDir}.`,
        {
          hint: 'Copy the file into the manifests folder; links may only point inside it.',
        },
      );
    }
    const stats = await stat(source);
    if (!stats.isFile()) {
      throw new DeploySmithError('invalid_input', `The manifest ${quoteName(path)} is not a regular file.`, {
        hint: 'Only regular .yaml/.yml files can be published.',
      });
    }
    collected.push({ path, source, size: stats.size });
  }
  return collected;
}

/**
 * A symlinked folder that leads back to a folder it is inside (`loop -> .`, `sub/up -> ..`) would
 * pack the same files again under other names, as deep as the glob cares to follow it.
 */
async function refuseSymlinkLoops(root: string, paths: string[], manifestsDir: string): Promise<void> {
  const folders = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/'));
  }
  for (const folder of folders) {
    if (!(await lstat(join(root, folder))).isSymbolicLink()) continue;
    const target = await realpath(join(root, folder));
    const back = relative(target, await realpath(dirname(join(root, folder))));
    if (back === '' || !(back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back))) {
      throw new DeploySmithError(
        'invalid_input',
        `The manifests folder ${manifestsDir} has a symlink loop: ${quoteName(folder)} leads back to ${target}, a folder it is inside.`,
        { hint: 'Remove the link: a manifests folder must not contain itself.' },
      );
    }
  }
}
