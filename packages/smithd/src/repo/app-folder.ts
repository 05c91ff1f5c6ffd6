/**
 * An app's folder in an environment, written whole: the version's files byte for byte and, unless
 * the version ships its own, a `kustomization.yaml` listing its manifests.
 */
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { KUSTOMIZATION_FILE_NAMES, newKustomizationText } from '@deploysmith/gitops';
import type { ManifestFile } from '@deploysmith/manifests';

export const GENERATED_KUSTOMIZATION_COMMENT =
  'Written by DeploySmith: lists the manifests of the version deployed here.\nEvery deploy of this app replaces this folder whole.';

const KUSTOMIZATION_NAMES = new Set<string>(KUSTOMIZATION_FILE_NAMES);
const isYaml = (path: string) => /\.ya?ml$/i.test(path);

/** Refuses a path that could leave the app folder or reach into git's own files. */
export function assertSafeFilePath(path: string): void {
  const parts = path.split('/');
  const bad =
    path.length === 0 ||
    path.length > 1024 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    parts.some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git');
  if (bad || posix.normalize(path) !== path) {
    throw new DeploySmithError(
      'invalid_input',
      `Refusing manifest path ${JSON.stringify(path)}: it must stay inside the app folder.`,
      {
        hint: 'Manifest paths are relative to manifests/, without "..", absolute paths or .git.',
      },
    );
  }
}

/** The files the app folder will hold: the version's, plus a generated kustomization when it has none. */
export function appFolderFiles(files: ManifestFile[]): ManifestFile[] {
  const seen = new Set<string>();
  for (const file of files) {
    assertSafeFilePath(file.path);
    if (seen.has(file.path)) {
      throw new DeploySmithError(
        'invalid_input',
        `Manifest path ${JSON.stringify(file.path)} appears twice in the version.`,
      );
    }
    seen.add(file.path);
  }
  if (files.some((file) => KUSTOMIZATION_NAMES.has(file.path))) return files;
  const text = newKustomizationText(
    kustomizationEntries(files.map((file) => file.path)),
    GENERATED_KUSTOMIZATION_COMMENT,
  );
  return [...files, { path: 'kustomization.yaml', content: new TextEncoder().encode(text) }];
}

/**
 * What a generated kustomization lists: each YAML file, except that a subfolder with its own
 * kustomization is listed as that folder (kustomize would refuse its files one by one).
 */
export function kustomizationEntries(paths: string[]): string[] {
  const kustomizedDirs = new Set(
    paths
      .filter((path) => KUSTOMIZATION_NAMES.has(posix.basename(path)) && path.includes('/'))
      .map((path) => posix.dirname(path)),
  );
  const entries = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    let covered: string | undefined;
    for (let depth = 1; depth < parts.length && covered === undefined; depth++) {
      const dir = parts.slice(0, depth).join('/');
      if (kustomizedDirs.has(dir)) covered = dir;
    }
    if (covered !== undefined) entries.add(covered);
    else if (isYaml(path) && !KUSTOMIZATION_NAMES.has(posix.basename(path))) entries.add(path);
  }
  return [...entries];
}

/** Replaces `root/folder` with exactly `files`. The caller has checked `folder` is a real directory path. */
export async function writeAppFolder(root: string, folder: string, files: ManifestFile[]): Promise<void> {
  const target = join(root, folder);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const file of files) {
    const path = join(target, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content, { mode: 0o644 });
  }
}

/**
 * Refuses to write through a symbolic link committed in the repo: each existing component of
 * `relative` under `root` must be a plain directory.
 */
export async function assertPlainDirectories(root: string, relative: string): Promise<void> {
  const parts = relative.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const path = join(root, ...parts.slice(0, depth));
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(path);
    } catch {
      return;
    }
    if (!stats.isDirectory()) {
      throw new DeploySmithError(
        'tree_does_not_build',
        `${parts.slice(0, depth).join('/')} in the GitOps repo is not a folder.`,
        {
          hint: 'Remove the file or link at that path from the repo; DeploySmith only writes into real folders.',
        },
      );
    }
  }
}
