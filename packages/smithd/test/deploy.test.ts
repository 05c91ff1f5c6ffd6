/**
 * Deploys through a real smithd into its real bare GitOps repo; after each one the environment is
 * built with `kubectl kustomize` in a fresh clone. Rollbacks pin, auto-deploy follows policies and
 * respects pins, Idempotency-Key replays, dry runs write nothing.
 */
import { headOf, listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { builtImage, builtObjects, changedFiles, commitDiff, workingCloneState } from './support/gitops.ts';
import { readTables } from './support/state.ts';
import { expectNothingChanged } from './support/unchanged.ts';

requireTool('git');
requireTool('kubectl');

let smithd: SmithdHandle;

const deploy = (app: string, version: string, environment: string, headers?: Record<string, string>) =>
  call(smithd, 'POST', `/v1/apps/${app}/deployments`, { body: { version, environment }, headers });

beforeAll(async () => {
  smithd = await startSmithd();
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    await publishVersion(smithd, 'hello', version, sampleManifests('hello', version));
  }
});

afterAll(async () => {
  await smithd?.stop();
});

describe('deploying', () => {
  it('commits the version into environments/<env>/apps/<app> and the environment builds with it', async () => {
    const answer = await deploy('hello', '1.0.0', 'staging');
    expect(answer.status).toBe(201);
    expect(answer.body.noop).toBe(false);
    expect(answer.body.deployment).toMatchObject({
      app: 'hello',
      environment: 'staging',
      version: '1.0.0',
      kind: 'deploy',
      status: 'succeeded',
      previousVersion: null,
      requestedBy: 'admin',
      error: null,
    });
    const commit = answer.body.deployment.commit;
    expect(await headOf(smithd.gitopsRemote)).toBe(commit);
    const [last] = (await listCommits(smithd.gitopsRemote)).slice(-1);
    expect(last?.trailers).toEqual({
      'Deploy-Id': answer.body.deployment.id,
      App: 'hello',
      Version: '1.0.0',
      Environment: 'staging',
      Kind: 'deploy',
      'Requested-By': 'admin',
    });
    expect(await builtObjects(smithd.gitopsRemote, 'staging')).toEqual([
      'Deployment//hello',
      'Service//hello',
    ]);
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe(
      'registry.example.com/hello:1.0.0',
    );
  });

  it('shows what runs where on the app and on its versions', async () => {
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    expect(app.status).toBe(200);
    const staging = app.body.status.find((s: { environment: string }) => s.environment === 'staging');
    expect(staging.current).toMatchObject({ version: '1.0.0', status: 'succeeded' });
    expect(staging.pin).toBeNull();
    expect(
      app.body.status.find((s: { environment: string }) => s.environment === 'production').current,
    ).toBeNull();
    const versions = await call(smithd, 'GET', '/v1/apps/hello/versions');
    expect(
      versions.body.items.map((v: { id: string; deployedTo: string[] }) => [v.id, v.deployedTo]),
    ).toEqual([
      ['1.2.0', []],
      ['1.1.0', []],
      ['1.0.0', ['staging']],
    ]);
    const apps = await call(smithd, 'GET', '/v1/apps');
    expect(apps.body.items.map((a: { name: string }) => a.name)).toEqual(['hello']);
    expect(apps.body.items[0].status[0].current.version).toBe('1.0.0');
  });

  it('answers a deploy of what already runs with noop and writes nothing', async () => {
    const answer = await expectNothingChanged(smithd, () => deploy('hello', '1.0.0', 'staging'));
    expect(answer.status).toBe(200);
    expect(answer.body.noop).toBe(true);
    expect(answer.body.deployment.version).toBe('1.0.0');
  });

  it('refuses an unknown app, version or environment, naming it, and records nothing', async () => {
    const cases: [string, string, string, number, RegExp][] = [
      ['nope', '1.0.0', 'staging', 404, /No app named nope/],
      ['hello', '9.9.9', 'staging', 404, /no version 9\.9\.9/],
      ['hello', '1.0.0', 'qa', 400, /no environment qa/],
    ];
    for (const [app, version, environment, status, message] of cases) {
      const answer = await expectNothingChanged(smithd, () => deploy(app, version, environment));
      expect(answer.status).toBe(status);
      expect(answer.body.error.message).toMatch(message);
    }
  });

  it('refuses to deploy a draft', async () => {
    await call(smithd, 'POST', '/v1/apps/hello/versions', {
      body: {
        id: '2.0.0-draft',
        metadata: {
          gitSha: 'abcdef0',
          branch: 'main',
          tag: null,
          committer: null,
          buildNumber: null,
          pipelineUrl: null,
          createdAt: '2026-01-01T00:00:00Z',
        },
        sha256: 'e'.repeat(64),
        size: 10,
      },
    });
    const answer = await expectNothingChanged(smithd, () => deploy('hello', '2.0.0-draft', 'staging'));
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toMatch(/draft/);
  });
});

describe('dry runs', () => {
  it('returns the diff and writes nothing; the real deploy then commits exactly that diff', async () => {
    const before = await workingCloneState(smithd.dataDir);
    const dry = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/deployments', {
        body: { version: '1.1.0', environment: 'staging', dryRun: true },
      }),
    );
    expect(await workingCloneState(smithd.dataDir)).toBe(before);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      app: 'hello',
      environment: 'staging',
      version: '1.1.0',
      kind: 'deploy',
      previousVersion: '1.0.0',
    });
    expect(dry.body.plan.changed).toEqual(['environments/staging/apps/hello/deployment.yaml']);
    expect(dry.body.plan.diff).toContain('+          image: registry.example.com/hello:1.1.0');

    const real = await deploy('hello', '1.1.0', 'staging');
    expect(real.status).toBe(201);
    const commit = real.body.deployment.commit;
    expect(await changedFiles(smithd.gitopsRemote, commit)).toEqual({
      added: dry.body.plan.added,
      changed: dry.body.plan.changed,
      removed: dry.body.plan.removed,
    });
    expect(await commitDiff(smithd.gitopsRemote, commit)).toBe(dry.body.plan.diff);
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe(
      'registry.example.com/hello:1.1.0',
    );
  });
});

describe('rollbacks and pins', () => {
  it('deploys an older version as a rollback and pins the app there', async () => {
    const answer = await deploy('hello', '1.0.0', 'staging');
    expect(answer.status).toBe(201);
    expect(answer.body.deployment).toMatchObject({
      kind: 'rollback',
      previousVersion: '1.1.0',
      status: 'succeeded',
    });
    expect((await listCommits(smithd.gitopsRemote)).at(-1)?.trailers.Kind).toBe('rollback');
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe(
      'registry.example.com/hello:1.0.0',
    );
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    const staging = app.body.status.find((s: { environment: string }) => s.environment === 'staging');
    expect(staging.pin).toMatchObject({
      app: 'hello',
      environment: 'staging',
      version: '1.0.0',
      pinnedBy: 'admin',
    });
  });

  it('does not auto-deploy a publish to the pinned environment, and says so, until unpinned', async () => {
    expect(
      (await call(smithd, 'PUT', '/v1/apps/hello/policies/staging', { body: { branch: 'main' } })).status,
    ).toBe(200);
    const head = await headOf(smithd.gitopsRemote);
    const held = await publishVersion(smithd, 'hello', '1.3.0', sampleManifests('hello', '1.3.0'), {
      branch: 'main',
    });
    expect(held.deployments).toEqual([]);
    expect(held.skipped).toHaveLength(1);
    expect(held.skipped[0]?.environment).toBe('staging');
    expect(held.skipped[0]?.reason).toMatch(/^staging skipped: pinned by admin at \d{4}-\d\d-\d\dT/);
    expect(await headOf(smithd.gitopsRemote)).toBe(head);
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe(
      'registry.example.com/hello:1.0.0',
    );

    const unpin = await call(smithd, 'DELETE', '/v1/apps/hello/pins/staging');
    expect(unpin.status).toBe(204);
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    expect(app.body.status.find((s: { environment: string }) => s.environment === 'staging').pin).toBeNull();

    const next = await publishVersion(smithd, 'hello', '1.4.0', sampleManifests('hello', '1.4.0'), {
      branch: 'main',
    });
    expect(next.skipped).toEqual([]);
    expect(next.deployments).toHaveLength(1);
    expect(next.deployments[0]).toMatchObject({
      environment: 'staging',
      version: '1.4.0',
      kind: 'auto-deploy',
      status: 'succeeded',
      previousVersion: '1.0.0',
    });
    expect((await listCommits(smithd.gitopsRemote)).at(-1)?.trailers.Kind).toBe('auto-deploy');
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe(
      'registry.example.com/hello:1.4.0',
    );
  });

  it('answers a repeated publish with the auto-deploys the first one made', async () => {
    const again = await expectNothingChanged(smithd, () =>
      call(smithd, 'POST', '/v1/apps/hello/versions/1.4.0/publish', { body: {} }),
    );
    expect(again.status).toBe(200);
    expect(again.body.deployments.map((d: { version: string; kind: string }) => [d.version, d.kind])).toEqual(
      [['1.4.0', 'auto-deploy']],
    );
    expect(again.body.version.deployedTo).toEqual(['staging']);
  });

  it('lifts the pin on a manual deploy of a newer version', async () => {
    expect((await deploy('hello', '1.2.0', 'production')).body.deployment.kind).toBe('deploy');
    const rollback = await deploy('hello', '1.1.0', 'production');
    expect(rollback.body.deployment.kind).toBe('rollback');
    const pinned = await call(smithd, 'GET', '/v1/apps/hello');
    expect(
      pinned.body.status.find((s: { environment: string }) => s.environment === 'production').pin.version,
    ).toBe('1.1.0');
    const forward = await deploy('hello', '1.4.0', 'production');
    expect(forward.body.deployment).toMatchObject({ kind: 'deploy', previousVersion: '1.1.0' });
    const lifted = await call(smithd, 'GET', '/v1/apps/hello');
    expect(
      lifted.body.status.find((s: { environment: string }) => s.environment === 'production').pin,
    ).toBeNull();
  });
});

describe('auto-deploy policies', () => {
  it('auto-deploys by branch glob and leaves other branches alone', async () => {
    await publishVersion(smithd, 'shop', '1', sampleManifests('shop', '1'), { branch: 'main' });
    expect(
      (await call(smithd, 'PUT', '/v1/apps/shop/policies/production', { body: { branch: 'release/*' } }))
        .status,
    ).toBe(200);
    const feature = await publishVersion(smithd, 'shop', '2', sampleManifests('shop', '2'), {
      branch: 'feature/cart',
    });
    expect(feature.deployments).toEqual([]);
    expect(feature.skipped).toEqual([]);
    const release = await publishVersion(smithd, 'shop', '3', sampleManifests('shop', '3'), {
      branch: 'release/2.1',
    });
    expect(release.deployments).toHaveLength(1);
    expect(release.deployments[0]).toMatchObject({
      environment: 'production',
      version: '3',
      kind: 'auto-deploy',
    });
    expect(await builtObjects(smithd.gitopsRemote, 'production')).toEqual(
      expect.arrayContaining(['Deployment//shop', 'Service//shop', 'Deployment//hello']),
    );
    expect(await builtImage(smithd.gitopsRemote, 'production', 'shop')).toBe('registry.example.com/shop:3');
  });

  it('auto-deploys by tag glob', async () => {
    expect(
      (await call(smithd, 'PUT', '/v1/apps/shop/policies/staging', { body: { tag: 'v*' } })).status,
    ).toBe(200);
    const tagged = await publishVersion(smithd, 'shop', '4', sampleManifests('shop', '4'), {
      branch: 'main',
      tag: 'v4.0.0',
    });
    expect(tagged.deployments.map((d) => d.environment)).toEqual(['staging']);
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'shop')).toBe('registry.example.com/shop:4');
  });

  it('reads, replaces and deletes policies', async () => {
    const list = await call(smithd, 'GET', '/v1/apps/shop/policies');
    expect(
      list.body.items.map((p: { environment: string; branch: string | null; tag: string | null }) => [
        p.environment,
        p.branch,
        p.tag,
      ]),
    ).toEqual([
      ['production', 'release/*', null],
      ['staging', null, 'v*'],
    ]);
    const put = await call(smithd, 'PUT', '/v1/apps/shop/policies/staging', {
      body: { branch: 'main', tag: null },
    });
    expect(put.body).toMatchObject({ app: 'shop', environment: 'staging', branch: 'main', tag: null });
    expect((await call(smithd, 'GET', '/v1/apps/shop/policies/staging')).body.branch).toBe('main');
    expect((await call(smithd, 'DELETE', '/v1/apps/shop/policies/staging')).status).toBe(204);
    expect((await call(smithd, 'GET', '/v1/apps/shop/policies/staging')).status).toBe(404);
    const app = await call(smithd, 'GET', '/v1/apps/shop');
    expect(
      app.body.status.find((s: { environment: string }) => s.environment === 'production').policy.branch,
    ).toBe('release/*');
  });

  it('refuses a policy without globs and a policy for an unknown environment', async () => {
    const empty = await expectNothingChanged(smithd, () =>
      call(smithd, 'PUT', '/v1/apps/shop/policies/staging', { body: {} }),
    );
    expect(empty.status).toBe(400);
    const unknown = await expectNothingChanged(smithd, () =>
      call(smithd, 'PUT', '/v1/apps/shop/policies/qa', { body: { branch: 'main' } }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/no environment qa/);
    const unpin = await expectNothingChanged(smithd, () => call(smithd, 'DELETE', '/v1/apps/shop/pins/qa'));
    expect(unpin.status).toBe(404);
  });
});

describe('exactly once', () => {
  it('answers a replayed Idempotency-Key with the same deployment and makes no second commit', async () => {
    const first = await deploy('hello', '1.2.0', 'staging', { 'idempotency-key': 'smithctl-run-1' });
    expect(first.status).toBe(201);
    const head = await headOf(smithd.gitopsRemote);
    const replay = await expectNothingChanged(smithd, () =>
      deploy('hello', '1.2.0', 'staging', { 'idempotency-key': 'smithctl-run-1' }),
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await headOf(smithd.gitopsRemote)).toBe(head);
  });

  it('refuses an Idempotency-Key reused for another deploy', async () => {
    const other = await expectNothingChanged(smithd, () =>
      deploy('hello', '1.1.0', 'staging', { 'idempotency-key': 'smithctl-run-1' }),
    );
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(
      /Idempotency-Key smithctl-run-1 was used for 1\.2\.0 to staging/,
    );
  });
});

describe('checks before the push', () => {
  it('refuses an app whose object collides with another app in the environment, naming both, and the environment still builds', async () => {
    // "thief" ships a Service named hello: the same kind, namespace and name as hello's.
    const [, helloService] = sampleManifests('hello', 'x');
    await publishVersion(smithd, 'thief', '1', [
      ...sampleManifests('thief', '1').slice(0, 1),
      { path: 'service.yaml', content: helloService?.content ?? '' },
    ]);
    const head = await headOf(smithd.gitopsRemote);
    const before = await readTables(smithd, ['pins', 'apps', 'versions', 'policies']);
    const answer = await deploy('thief', '1', 'staging');
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('object_collision');
    expect(answer.body.error.message).toMatch(/Service/);
    expect(JSON.stringify(answer.body.error)).toMatch(/hello/);
    expect(await headOf(smithd.gitopsRemote)).toBe(head);
    expect(await readTables(smithd, ['pins', 'apps', 'versions', 'policies'])).toEqual(before);
    expect(await builtObjects(smithd.gitopsRemote, 'staging')).toEqual(
      expect.arrayContaining(['Deployment//hello', 'Service//hello', 'Deployment//shop']),
    );
    expect(await builtObjects(smithd.gitopsRemote, 'staging')).not.toContain('Deployment//thief');
    // Recorded as a failed attempt; nothing runs differently.
    const history = await call(smithd, 'GET', '/v1/apps/thief/deployments');
    expect(history.body.items[0]).toMatchObject({ status: 'failed', commit: null });
    const app = await call(smithd, 'GET', '/v1/apps/thief');
    expect(app.body.status.every((s: { current: unknown }) => s.current === null)).toBe(true);
  });
});

describe('deployment history', () => {
  it('lists deployments newest first, by environment, in pages', async () => {
    const all = await call(smithd, 'GET', '/v1/apps/hello/deployments?limit=500');
    expect(all.status).toBe(200);
    const staging = await call(smithd, 'GET', '/v1/apps/hello/deployments?environment=staging&limit=2');
    expect(staging.body.items).toHaveLength(2);
    expect(staging.body.items.every((d: { environment: string }) => d.environment === 'staging')).toBe(true);
    const rest = await call(
      smithd,
      'GET',
      `/v1/apps/hello/deployments?environment=staging&limit=500&cursor=${staging.body.nextCursor}`,
    );
    const ids = [...staging.body.items, ...rest.body.items].map((d: { id: string }) => d.id);
    expect(ids).toEqual(
      all.body.items
        .filter((d: { environment: string }) => d.environment === 'staging')
        .map((d: { id: string }) => d.id),
    );
    expect(
      all.body.items.map(
        (d: { version: string; environment: string; kind: string }) =>
          `${d.environment} ${d.version} ${d.kind}`,
      ),
    ).toEqual([
      'staging 1.2.0 rollback',
      'production 1.4.0 deploy',
      'production 1.1.0 rollback',
      'production 1.2.0 deploy',
      'staging 1.4.0 auto-deploy',
      'staging 1.0.0 rollback',
      'staging 1.1.0 deploy',
      'staging 1.0.0 deploy',
    ]);
  });
});
