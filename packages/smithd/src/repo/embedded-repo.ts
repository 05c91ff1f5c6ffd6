/**
 * The GitOps repo smithd uses when none is configured: a bare repo on disk, laid out for Flux.
 */
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { assertEnvironmentName } from '@deploysmith/core';
import { type GitIdentity, git, identityEnv } from '@deploysmith/gitops';
import { fluxLayoutFiles } from './flux-layout.ts';

export const EMBEDDED_BRANCH = 'main';

/**
 * Creates a bare repo at `barePath` (branch `main`) whose first commit lays out `environments`,
 * unless something is already there. Returns true when it created the repo. The repo appears at
 * its path complete or not at all.
 */
export async function initEmbeddedRepo(
  barePath: string,
  environments: string[],
  author: GitIdentity,
): Promise<boolean> {
  const target = resolve(barePath);
  if (await exists(target)) return false;
  for (const env of environments) assertEnvironmentName(env);
  await mkdir(dirname(target), { recursive: true });
  const building = await mkdtemp(`${target}.init-`);
  const bare = join(building, 'repo.git');
  try {
    await git(building, ['init', '-q', '--bare', `--initial-branch=${EMBEDDED_BRANCH}`, bare]);
    const message = `lay out the Flux repo for ${environments.join(', ') || 'no environments yet'}\n`;
    const commit = await commitFiles(bare, fluxLayoutFiles(environments), message, author);
    await git(bare, ['update-ref', `refs/heads/${EMBEDDED_BRANCH}`, commit]);
    await rename(bare, target);
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return true;
}

/**
 * A root commit holding exactly `files` (path → text), written into the repo at `gitDir` without
 * touching its index or working tree. Returns the commit id; no ref is moved.
 */
export async function commitFiles(
  gitDir: string,
  files: Map<string, string>,
  message: string,
  author: GitIdentity,
): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'deploysmith-layout-'));
  const work = join(scratch, 'work');
  try {
    for (const [path, text] of files) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), text);
    }
    const env = {
      GIT_DIR: resolve(gitDir),
      GIT_WORK_TREE: work,
      GIT_INDEX_FILE: join(scratch, 'index'),
      ...identityEnv(author),
    };
    const plain = [
      '-c',
      'core.sparseCheckout=false',
      '-c',
      'index.sparse=false',
      '-c',
      'core.autocrlf=false',
    ];
    await git(work, [...plain, 'add', '-A', '.'], { env });
    const tree = (await git(work, [...plain, 'write-tree'], { env })).trim();
    return (
      await git(work, [...plain, '-c', 'commit.gpgsign=false', 'commit-tree', tree], { env, input: message })
    ).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
