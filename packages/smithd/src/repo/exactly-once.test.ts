import { join } from 'node:path';
import { gitIn, headOf, listCommits } from '@deploysmith/testkit/gitops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployOf, type RepoFixture, repoFixture } from './test-fixture.ts';

describe('deploys recorded in git, exactly once', { timeout: 120_000 }, () => {
  let fixture: RepoFixture;
  beforeEach(async () => {
    fixture = await repoFixture();
  }, 60_000);
  afterEach(() => fixture.remove());

  it('commits with a message naming app, version, environment, kind and requester, and the six trailers', async () => {
    const repo = fixture.repo();
    const deploy = deployOf('hello-world', '42540c4-123', { kind: 'rollback', requestedBy: 'alice' });
    const { commit } = await repo.apply(deploy);
    const [, last] = await listCommits(fixture.remote);
    expect(last).toEqual({
      commit,
      parents: [expect.any(String)],
      subject: 'deploy hello-world 42540c4-123 to staging (rollback, requested by alice)',
      trailers: {
        'Deploy-Id': deploy.deployId,
        App: 'hello-world',
        Version: '42540c4-123',
        Environment: 'staging',
        Kind: 'rollback',
        'Requested-By': 'alice',
      },
    });
    expect((await gitIn(fixture.remote, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', commit])).trim()).toBe(
      'DeploySmith <smithd@deploysmith.test>|DeploySmith <smithd@deploysmith.test>',
    );
  });

  it('reads every deploy back from the trailers, oldest first', async () => {
    const repo = fixture.repo();
    const first = deployOf('hello', 'v1');
    const second = deployOf('hello', 'v2', { kind: 'auto-deploy', requestedBy: 'policy:staging' });
    const third = deployOf('api', 'v7', { environment: 'production', requestedBy: 'bob' });
    const commits = [];
    for (const deploy of [first, second, third]) commits.push((await repo.apply(deploy)).commit);

    // A fresh process (its own clone) sees the same history: git is the record.
    const history = await fixture.repo('b').history();
    expect(history.map(({ committedAt, ...rest }) => rest)).toEqual([
      {
        commit: commits[0],
        deployId: first.deployId,
        app: 'hello',
        environment: 'staging',
        version: 'v1',
        kind: 'deploy',
        requestedBy: 'alice',
      },
      {
        commit: commits[1],
        deployId: second.deployId,
        app: 'hello',
        environment: 'staging',
        version: 'v2',
        kind: 'auto-deploy',
        requestedBy: 'policy:staging',
      },
      {
        commit: commits[2],
        deployId: third.deployId,
        app: 'api',
        environment: 'production',
        version: 'v7',
        kind: 'deploy',
        requestedBy: 'bob',
      },
    ]);
    for (const entry of history) expect(entry.committedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('finds a pushed deploy by its id, and reports an id that never reached the remote as absent', async () => {
    const a = fixture.repo('a');
    const b = fixture.repo('b');
    const pushed = deployOf('hello', 'v1');
    const { commit } = await a.apply(pushed);
    // b opened before the push and learns of it by fetching.
    await b.open();
    const later = deployOf('hello', 'v2');
    const { commit: laterCommit } = await a.apply(later);
    const found = await b.findDeploys([pushed.deployId, later.deployId, 'never-pushed']);
    expect(found).toEqual(
      new Map([
        [pushed.deployId, commit],
        [later.deployId, laterCommit],
      ]),
    );
  });

  it('returns the commit already on the remote when the same Deploy-Id is applied again, committing nothing', async () => {
    const a = fixture.repo('a');
    const deploy = deployOf('hello', 'v1');
    const { commit, plan } = await a.apply(deploy);
    const commitsBefore = await listCommits(fixture.remote);

    // The same process retries (its response was lost)…
    const again = await a.apply(deploy);
    expect(again.commit).toBe(commit);
    expect(again.plan).toEqual(plan);
    // …and so does another process whose clone has not seen the commit yet.
    const b = fixture.repo('b');
    await b.open();
    await a.apply(deployOf('api', 'v1'));
    expect((await b.apply(deploy)).commit).toBe(commit);

    const commitsAfter = await listCommits(fixture.remote);
    expect(commitsAfter.length).toBe(commitsBefore.length + 1);
    expect(commitsAfter.filter((c) => c.trailers['Deploy-Id'] === deploy.deployId)).toHaveLength(1);
    expect(await gitIn(join(fixture.dir.path, 'work-b'), ['status', '--porcelain'])).toBe('');
  });

  it('finds deploys in a long history without rereading it: an index follows the branch as it moves', async () => {
    const a = fixture.repo('a');
    const deploys = Array.from({ length: 4 }, (_, i) => deployOf(`app-${i}`, 'v1'));
    const commits = new Map<string, string>();
    for (const deploy of deploys) commits.set(deploy.deployId, (await a.apply(deploy)).commit);
    const b = fixture.repo('b');
    expect(await b.findDeploys(deploys.map((d) => d.deployId))).toEqual(commits);
    // History rewritten under us (a force-push back to the first deploy): ids that vanished are absent.
    const first = commits.get(deploys[0]?.deployId ?? '') ?? '';
    await gitIn(fixture.remote, ['update-ref', 'refs/heads/main', first]);
    const after = await b.findDeploys(deploys.map((d) => d.deployId));
    expect([...after.keys()]).toEqual([deploys[0]?.deployId]);
    expect(await headOf(fixture.remote)).toBe(first);
  });
});
