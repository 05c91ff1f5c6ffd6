/**
 * The GitOps repo smithd uses when none is configured: a bare repo on disk, laid out for Flux.
 */
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
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
  const work = join(building, 'work');
  try {
    await git(building, ['init', '-q', '--bare', `--initial-branch=${EMBEDDED_BRANCH}`, bare]);
    for (const [path, text] of fluxLayoutFiles(environments)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), text);
    }
    const env = {
      GIT_DIR: bare,
      GIT_WORK_TREE: work,
      GIT_INDEX_FILE: join(building, 'index'),
      ...identityEnv(author),
    };
    await git(work, ['add', '-A', '.'], { env });
    const tree = (await git(work, ['write-tree'], { env })).trim();
    const message = `lay out the Flux repo for ${environments.join(', ') || 'no environments yet'}\n`;
    const commit = (await git(work, ['commit-tree', tree], { env, input: message })).trim();
    await git(work, ['update-ref', `refs/heads/${EMBEDDED_BRANCH}`, commit], { env });
    await rename(bare, target);
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
