import { chmod, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import {
  cloneRepo,
  gitIn,
  headOf,
  kustomizeBuild,
  listCommits,
  objectIds,
} from '@deploysmith/testkit/gitops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitOpsRepo } from './gitops-repo.ts';
import { deployOf, type RepoFixture, repoFixture } from './test-fixture.ts';

/** A pre-receive hook; `body` runs with the quarantine lifted so it can move refs like another writer. */
async function installHook(remote: string, body: string): Promise<void> {
  const path = join(remote, 'hooks', 'pre-receive');
  await writeFile(
    path,
    `#!/bin/sh
set -e
cat >/dev/null
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@example.com GIT_COMMITTER_NAME=other GIT_COMMITTER_EMAIL=other@example.com
${body}
`,
  );
  await chmod(path, 0o755);
}

/** Another writer lands a commit on main while our push is in flight (once, or every time). */
const RACE = `
head=$(git rev-parse refs/heads/main)
commit=$(echo "another writer" | git commit-tree "$head^{tree}" -p "$head")
git update-ref refs/heads/main "$commit" "$head"
`;

async function rejection(promise: Promise<unknown>): Promise<DeploySmithError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeploySmithError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Every commit has one parent, the one before it: no merges, nothing lost. */
function expectLinear(commits: Awaited<ReturnType<typeof listCommits>>): void {
  commits.forEach((commit, index) => {
    expect(commit.parents).toEqual(index === 0 ? [] : [commits[index - 1]?.commit]);
  });
}

describe('pushing when others push too', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  beforeEach(async () => {
    fixture = await repoFixture();
  }, 60_000);
  afterEach(() => fixture.remove());

  it('re-applies a deploy whose push was rejected because the branch moved ("fetch first")', async () => {
    const pushes: string[] = [];
    const repo = fixture.repo('a', { trace: (phase) => pushes.push(phase) });
    await repo.open();
    // Someone else pushes after our clone last fetched.
    const human = await cloneRepo(fixture.remote, join(fixture.dir.path, 'human'));
    await writeFile(join(human, 'README.md'), 'edited by a person\n');
    await gitIn(human, ['commit', '-q', '-am', 'edit the readme']);
    await gitIn(human, ['push', '-q', 'origin', 'main']);

    const deploy = deployOf('hello', 'v1');
    const { commit } = await repo.apply(deploy);
    expect(pushes.filter((phase) => phase === 'push')).toHaveLength(2);
    const commits = await listCommits(fixture.remote);
    expect(commits.map((c) => c.subject)).toEqual([
      expect.stringMatching(/^lay out/),
      'edit the readme',
      'deploy hello v1 to staging (deploy, requested by alice)',
    ]);
    expect(commits[2]?.commit).toBe(commit);
    expectLinear(commits);
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual([
      'Deployment//hello',
      'Service//hello',
    ]);
  });

  it('re-applies a deploy whose ref update lost a race on the remote ("cannot lock ref")', async () => {
    await installHook(fixture.remote, `if [ ! -e raced ]; then\ntouch raced\n${RACE}\nfi`);
    const repo = fixture.repo();
    const deploy = deployOf('hello', 'v1');
    const { commit } = await repo.apply(deploy);
    const commits = await listCommits(fixture.remote);
    expect(commits.map((c) => c.subject)).toEqual([
      expect.stringMatching(/^lay out/),
      'another writer',
      'deploy hello v1 to staging (deploy, requested by alice)',
    ]);
    expect(commits[2]?.commit).toBe(commit);
    expect(commits.filter((c) => c.trailers['Deploy-Id'] === deploy.deployId)).toHaveLength(1);
    expectLinear(commits);
    expect(await gitIn(join(fixture.dir.path, 'work-a'), ['status', '--porcelain'])).toBe('');
  });

  it('gives up after a bounded number of lost races with gitops_rejected, leaving the clone at the remote head', async () => {
    await installHook(fixture.remote, RACE);
    const repo = fixture.repo('a', { maxPushAttempts: 3 });
    const error = await rejection(repo.apply(deployOf('hello', 'v1')));
    expect(error.code).toBe('gitops_rejected');
    expect(error.status).toBe(502);
    expect(error.message).toContain('rejected 3 times');
    const commits = await listCommits(fixture.remote);
    expect(commits.map((c) => c.subject)).toEqual([
      expect.stringMatching(/^lay out/),
      'another writer',
      'another writer',
      'another writer',
    ]);
    const workDir = join(fixture.dir.path, 'work-a');
    expect(await gitIn(workDir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect((await gitIn(workDir, ['rev-parse', 'HEAD'])).trim()).toBe(commits.at(-1)?.commit);
  });

  it('fails at once with gitops_rejected when the remote refuses the push for good (a hook)', async () => {
    await installHook(fixture.remote, 'echo "main is frozen for the release" >&2; exit 1');
    const pushes: string[] = [];
    const repo = fixture.repo('a', { trace: (phase) => pushes.push(phase) });
    const error = await rejection(repo.apply(deployOf('hello', 'v1')));
    expect(error.code).toBe('gitops_rejected');
    expect(error.message).toContain('GitOps repo "gitops"');
    expect(pushes.filter((phase) => phase === 'push')).toHaveLength(1);
    expect((await listCommits(fixture.remote)).length).toBe(1);
    expect(
      await gitIn(join(fixture.dir.path, 'work-a'), ['status', '--porcelain', '--untracked-files=all']),
    ).toBe('');
  });

  it('loses nothing when two smithd processes deploy into one remote at the same time', async () => {
    const a = fixture.repo('a');
    const b = fixture.repo('b');
    await Promise.all([a.open(), b.open()]);
    // Four deploys each: a writer can lose at most four races, and five attempts are allowed.
    const deploysA = Array.from({ length: 4 }, (_, i) => deployOf(`a-${i}`, 'v1'));
    const deploysB = Array.from({ length: 4 }, (_, i) =>
      deployOf(`b-${i}`, 'v1', { environment: i % 2 ? 'production' : 'staging' }),
    );
    const run = async (repo: typeof a, deploys: typeof deploysA) => {
      for (const deploy of deploys) await repo.apply(deploy);
    };
    await Promise.all([run(a, deploysA), run(b, deploysB)]);

    const commits = await listCommits(fixture.remote);
    expectLinear(commits);
    for (const deploy of [...deploysA, ...deploysB]) {
      expect(commits.filter((c) => c.trailers['Deploy-Id'] === deploy.deployId)).toHaveLength(1);
    }
    expect(commits).toHaveLength(9);
    const clone = await cloneRepo(fixture.remote, join(fixture.dir.path, 'check'));
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/staging/apps')))).toEqual(
      ['a-0', 'a-1', 'a-2', 'a-3', 'b-0', 'b-2']
        .flatMap((app) => [`Deployment//${app}`, `Service//${app}`])
        .sort(),
    );
    expect(objectIds(await kustomizeBuild(join(clone, 'environments/production/apps')))).toEqual(
      ['b-1', 'b-3'].flatMap((app) => [`Deployment//${app}`, `Service//${app}`]).sort(),
    );
    expect((await a.history()).map((d) => d.deployId).sort()).toEqual(
      [...deploysA, ...deploysB].map((d) => d.deployId).sort(),
    );
  });
});

describe('an unreachable remote', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  let server: Server | undefined;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    fixture = await repoFixture();
  }, 60_000);
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await fixture.remove();
  });

  it('fails the deploy at once with gitops_unreachable naming the repo, and leaves the clone at the remote head', async () => {
    const repo = fixture.repo();
    await repo.apply(deployOf('hello', 'v1'));
    const head = await headOf(fixture.remote);
    await rm(fixture.remote, { recursive: true, force: true });

    for (const attempt of [
      repo.apply(deployOf('hello', 'v2')),
      repo.plan(deployOf('hello', 'v2')),
      repo.findDeploys(['x']),
    ]) {
      const error = await rejection(attempt);
      expect(error.code).toBe('gitops_unreachable');
      expect(error.status).toBe(502);
      expect(error.message).toContain(`GitOps repo "gitops" (${fixture.remote}) cannot be reached`);
    }
    const workDir = join(fixture.dir.path, 'work-a');
    expect(await gitIn(workDir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect((await gitIn(workDir, ['rev-parse', 'HEAD'])).trim()).toBe(head);
  });

  it('cannot open a remote that does not exist', async () => {
    const missing = join(fixture.dir.path, 'missing.git');
    const repo = createGitOpsRepo(
      { ...fixture.config, url: missing },
      { workDir: join(fixture.dir.path, 'work-m'), kustomizeCheck: 'always' },
    );
    const error = await rejection(repo.open());
    expect(error.code).toBe('gitops_unreachable');
    expect(error.message).toContain(missing);
  });

  it('gives up on a remote that never answers after the network timeout, without showing its password', async () => {
    server = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const url = `http://deployer:s3cret-token@127.0.0.1:${port}/gitops.git`;
    const repo = createGitOpsRepo(
      { ...fixture.config, url },
      { workDir: join(fixture.dir.path, 'work-h'), kustomizeCheck: 'always', networkTimeoutMs: 1_500 },
    );
    const error = await rejection(repo.open());
    expect(error.code).toBe('gitops_unreachable');
    expect(error.message).toContain(`http://***@127.0.0.1:${port}/gitops.git`);
    expect(error.message).toContain('timed out');
    expect(error.message).not.toContain('s3cret');
  });
});
