/**
 * What can happen to a GitOps remote behind smithd's back: it goes away, a hook refuses pushes, or
 * someone rewrites the branch with a force-push.
 */
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneRepo, gitIn } from '../packages/testkit/src/gitops.ts';

/** Moves the bare remote away (every fetch and push fails); returns how to put it back. */
export async function takeAway(remote: string): Promise<() => Promise<void>> {
  await rename(remote, `${remote}.away`);
  return () => rename(`${remote}.away`, remote);
}

/** Installs a pre-receive hook that refuses every push with `message`; returns how to remove it. */
export async function refusePushes(remote: string, message: string): Promise<() => Promise<void>> {
  const hook = join(remote, 'hooks', 'pre-receive');
  await writeFile(hook, `#!/bin/sh\necho "${message}" >&2\nexit 1\n`);
  await chmod(hook, 0o755);
  return () => rm(hook, { force: true });
}

/**
 * Someone else rewrites the branch: drops its last `drop` commits, adds one of their own
 * (a file outside the apps folders), and force-pushes. Returns the new head and the one it replaced.
 */
export async function forcePushRewrite(
  remote: string,
  drop: number,
  branch = 'main',
): Promise<{ head: string; replaced: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-rewrite-'));
  try {
    const clone = await cloneRepo(remote, join(dir, 'clone'), branch);
    const replaced = (await gitIn(clone, ['rev-parse', 'HEAD'])).trim();
    await gitIn(clone, ['reset', '-q', '--hard', `HEAD~${drop}`]);
    await writeFile(join(clone, 'NOTES.md'), `rewritten by someone else at ${new Date().toISOString()}\n`);
    await gitIn(clone, ['add', 'NOTES.md']);
    await gitIn(clone, ['commit', '-q', '-m', 'someone else rewrites the branch']);
    await gitIn(clone, ['push', '-q', '--force', 'origin', `HEAD:${branch}`]);
    return { head: (await gitIn(clone, ['rev-parse', 'HEAD'])).trim(), replaced };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What an operator does after such a rewrite: merges the lost commits back (in the bare remote). */
export async function mergeBack(remote: string, lost: string, branch = 'main'): Promise<string> {
  const head = (await gitIn(remote, ['rev-parse', `refs/heads/${branch}`])).trim();
  const tree = (await gitIn(remote, ['merge-tree', '--write-tree', head, lost])).trim().split('\n')[0] ?? '';
  const merge = (
    await gitIn(remote, [
      'commit-tree',
      tree,
      '-p',
      head,
      '-p',
      lost,
      '-m',
      'restore the deploys a force-push dropped',
    ])
  ).trim();
  await gitIn(remote, ['update-ref', `refs/heads/${branch}`, merge, head]);
  return merge;
}

/** Someone else pushes a commit of their own on top of the branch (a fast-forward). */
export async function pushOnTop(remote: string, branch = 'main'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-ontop-'));
  try {
    const clone = await cloneRepo(remote, join(dir, 'clone'), branch);
    await writeFile(join(clone, 'OTHER.md'), `another writer at ${new Date().toISOString()}\n`);
    await gitIn(clone, ['add', 'OTHER.md']);
    await gitIn(clone, ['commit', '-q', '-m', 'another writer']);
    await gitIn(clone, ['push', '-q', 'origin', `HEAD:${branch}`]);
    return (await gitIn(clone, ['rev-parse', 'HEAD'])).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
