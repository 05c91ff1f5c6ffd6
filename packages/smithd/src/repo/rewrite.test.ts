import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { cloneRepo, gitIn, listCommits } from '@deploysmith/testkit/gitops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployOf, type RepoFixture, repoFixture } from './test-fixture.ts';

/** Someone else drops the last `drop` commits of main, adds one of their own and force-pushes. */
async function forcePush(fixture: RepoFixture, drop: number): Promise<void> {
  const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, `rewrite-${Date.now()}`));
  await gitIn(clone, ['reset', '-q', '--hard', `HEAD~${drop}`]);
  await writeFile(join(clone, 'NOTES.md'), 'theirs\n');
  await gitIn(clone, ['add', 'NOTES.md']);
  await gitIn(clone, ['commit', '-q', '-m', 'someone else']);
  await gitIn(clone, ['push', '-q', '--force', 'origin', 'HEAD:main']);
}

describe('a branch rewritten by someone else', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  beforeEach(async () => {
    fixture = await repoFixture();
  });
  afterEach(async () => {
    await fixture.remove();
  });

  it('fails the next deploy once, naming the deploy commits the force-push dropped, and commits nothing', async () => {
    const repo = fixture.repo();
    const first = deployOf('hello', '1');
    await repo.apply(first);
    await forcePush(fixture, 1);
    const before = await listCommits(fixture.remote);

    const failure = await repo.apply(deployOf('hello', '2')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeploySmithError);
    expect(failure).toMatchObject({ code: 'gitops_rejected' });
    expect((failure as Error).message).toMatch(/rewritten by someone else/);
    expect((failure as Error).message).toContain(first.deployId);
    expect(await listCommits(fixture.remote)).toEqual(before);

    // Told once: the next deploy builds on the branch as it is now.
    const next = deployOf('hello', '2');
    const { commit } = await repo.apply(next);
    expect((await listCommits(fixture.remote)).at(-1)).toMatchObject({
      commit,
      trailers: { 'Deploy-Id': next.deployId },
    });
  });

  it('lands a deploy on a rewrite that kept every deploy commit', async () => {
    const repo = fixture.repo();
    const first = deployOf('hello', '1');
    await repo.apply(first);
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'theirs'));
    await writeFile(join(clone, 'OTHER.md'), 'mine\n');
    await gitIn(clone, ['add', 'OTHER.md']);
    await gitIn(clone, ['commit', '-q', '-m', 'their commit']);
    await gitIn(clone, ['push', '-q', 'origin', 'HEAD:main']);
    // smithd sees their commit (a dry run fetches), then they amend it: the branch smithd knows is
    // rewritten, but every deploy commit is still on it.
    await repo.plan(deployOf('hello', '2'));
    await gitIn(clone, ['commit', '-q', '--amend', '-m', 'their commit, reworded']);
    await gitIn(clone, ['push', '-q', '--force', 'origin', 'HEAD:main']);
    const next = deployOf('hello', '2');
    await repo.apply(next);
    const commits = await listCommits(fixture.remote);
    expect(commits.at(-1)?.trailers['Deploy-Id']).toBe(next.deployId);
    expect(commits.at(-2)?.subject).toBe('their commit, reworded');
    expect(commits.some((c) => c.trailers['Deploy-Id'] === first.deployId)).toBe(true);
  });
});
