/**
 * When things break: an unreachable GitOps repo fails the deploy at once and records nothing as
 * deployed; deploys left pending by a crash are settled from git at start-up; a lost database's
 * deployment history comes back from the commit trailers.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@deploysmith/testkit/bin';
import { headOf, listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { describeOnly } from './support/backend.ts';
import { builtImage } from './support/gitops.ts';
import { execSql, moveStored, readTables, refsOf } from './support/state.ts';
import { expectNothingChanged } from './support/unchanged.ts';

requireTool('git');
requireTool('kubectl');

let smithd: SmithdHandle;

const deploy = (version: string, environment: string, headers?: Record<string, string>) =>
  call(smithd, 'POST', '/v1/apps/hello/deployments', { body: { version, environment }, headers });

const sql = (statement: string, ...params: unknown[]) => execSql(smithd, statement, ...params);

async function allDeployments(): Promise<Record<string, unknown>[]> {
  const answer = await call(smithd, 'GET', '/v1/apps/hello/deployments?limit=500');
  expect(answer.status).toBe(200);
  return answer.body.items;
}

beforeAll(async () => {
  smithd = await startSmithd();
  for (const version of ['1', '2', '3'])
    await publishVersion(smithd, 'hello', version, sampleManifests('hello', version));
  expect((await deploy('1', 'staging')).status).toBe(201);
});

afterAll(async () => {
  await smithd?.stop();
});

describe('an unreachable GitOps repository', () => {
  it('fails the deploy at once with 502 naming the repo, and records nothing as deployed', async () => {
    const away = `${smithd.gitopsRemote}.away`;
    const refs = await refsOf(smithd.gitopsRemote);
    const before = await readTables(smithd, ['pins', 'versions', 'apps']);
    await rename(smithd.gitopsRemote, away);
    let answer: Awaited<ReturnType<typeof deploy>>;
    try {
      answer = await deploy('2', 'staging');
    } finally {
      await rename(away, smithd.gitopsRemote);
    }
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('gitops_unreachable');
    expect(answer.body.error.message).toMatch(/GitOps repo "gitops"/);
    expect(await refsOf(smithd.gitopsRemote)).toBe(refs);
    expect(await readTables(smithd, ['pins', 'versions', 'apps'])).toEqual(before);
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    expect(
      app.body.status.find((s: { environment: string }) => s.environment === 'staging').current.version,
    ).toBe('1');
    expect((await allDeployments()).filter((d) => d.status === 'succeeded').map((d) => d.version)).toEqual([
      '1',
    ]);
  });

  it('settles the attempt before the next deploy, and that deploy succeeds', async () => {
    const answer = await deploy('2', 'staging');
    expect(answer.status).toBe(201);
    expect(answer.body.deployment.previousVersion).toBe('1');
    const deployments = await allDeployments();
    expect(deployments.filter((d) => d.status === 'pending')).toEqual([]);
    expect(deployments.map((d) => `${d.version} ${d.status}`)).toEqual([
      '2 succeeded',
      '2 failed',
      '1 succeeded',
    ]);
    expect(await builtImage(smithd.gitopsRemote, 'staging', 'hello')).toBe('registry.example.com/hello:2');
  });
});

// Stands for a disk that went away. The S3 suite shares one s3rver between files, so pausing it
// would fail the others: backends.test.ts pauses an S3 server of its own.
describeOnly('sqlite-disk', 'unavailable disk storage', () => {
  it('answers readiness 503 when the storage does not answer, and 200 again when it does', async () => {
    const tmp = join(smithd.dataDir, 'storage', 'tmp');
    await rename(tmp, `${tmp}.away`);
    try {
      const answer = await call(smithd, 'GET', '/readyz', { key: null });
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('storage_unavailable');
      expect((await call(smithd, 'GET', '/healthz', { key: null })).status).toBe(200);
    } finally {
      await rename(`${tmp}.away`, tmp);
    }
    expect((await call(smithd, 'GET', '/readyz', { key: null })).status).toBe(200);
  });
});

describe('a bundle missing from storage', () => {
  it('refuses to deploy a version whose bundle is missing from storage (503), naming it, and records nothing', async () => {
    const bundle = 'published/hello/3/bundle.tar.gz';
    await moveStored(smithd, bundle, `${bundle}.away`);
    try {
      const answer = await expectNothingChanged(smithd, () => deploy('3', 'production'));
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('storage_unavailable');
      expect(answer.body.error.message).toMatch(/hello 3/);
    } finally {
      await moveStored(smithd, `${bundle}.away`, bundle);
    }
  });
});

describe('start-up settlement', () => {
  it('marks a pending deploy whose commit reached the remote as succeeded, without a second commit', async () => {
    // The state a crash between the push and recording its result leaves behind.
    const done = await deploy('3', 'staging', { 'idempotency-key': 'crash-1' });
    expect(done.status).toBe(201);
    const { id, commit } = done.body.deployment;
    await smithd.kill('SIGKILL');
    await sql(
      `update deployments set status = 'pending', "commit" = null, finished_at = null where id = ?`,
      id,
    );
    const refs = await refsOf(smithd.gitopsRemote);
    await smithd.restart();
    const settled = (await allDeployments()).find((d) => d.id === id);
    expect(settled).toMatchObject({ status: 'succeeded', commit, version: '3' });
    expect(await refsOf(smithd.gitopsRemote)).toBe(refs);
    // A retry of the request that crashed gets the settled deployment, not a second commit.
    const retry = await deploy('3', 'staging', { 'idempotency-key': 'crash-1' });
    expect(retry.status).toBe(200);
    expect(retry.body.deployment).toMatchObject({ id, commit, status: 'succeeded' });
    expect(await refsOf(smithd.gitopsRemote)).toBe(refs);
  });

  it('marks a pending deploy whose commit never reached the remote as failed, and a retry deploys anew', async () => {
    await smithd.kill('SIGKILL');
    const id = '00000000-0000-4000-8000-000000000001';
    await sql(
      `insert into deployments (id, repo, app, environment, version, kind, status, "commit", previous_version, requested_by, created_at, finished_at, error)
       values (?, 'gitops', 'hello', 'production', '3', 'deploy', 'pending', null, null, 'admin', ?, null, null)`,
      id,
      new Date().toISOString(),
    );
    await sql(
      `insert into idempotency_keys (app, key, deployment_id, environment, version, noop, created_at) values ('hello', 'crash-2', ?, 'production', '3', 0, ?)`,
      id,
      new Date().toISOString(),
    );
    const refs = await refsOf(smithd.gitopsRemote);
    await smithd.restart();
    const settled = (await allDeployments()).find((d) => d.id === id);
    expect(settled).toMatchObject({ status: 'failed', commit: null });
    expect(settled?.error).toMatch(/Interrupted/);
    expect(await refsOf(smithd.gitopsRemote)).toBe(refs);
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    expect(
      app.body.status.find((s: { environment: string }) => s.environment === 'production').current,
    ).toBeNull();

    const retry = await deploy('3', 'production', { 'idempotency-key': 'crash-2' });
    expect(retry.status).toBe(201);
    expect(retry.body.deployment.id).not.toBe(id);
    expect(
      (await listCommits(smithd.gitopsRemote)).filter((c) => c.trailers.Environment === 'production'),
    ).toHaveLength(1);
  });
});

describe('history rebuild', () => {
  it('refills a lost deployment history from the commit trailers, reproducing GET deployments', async () => {
    expect((await deploy('1', 'production')).body.deployment.kind).toBe('rollback');
    const original = (await allDeployments()).filter((d) => d.status === 'succeeded');
    const pinsBefore = (await readTables(smithd, ['pins'])).pins;
    expect(pinsBefore).toHaveLength(1);

    await smithd.kill('SIGTERM');
    await sql('delete from deployments');
    await sql('delete from pins');
    await sql('delete from idempotency_keys');
    const rebuilt = await runCli('smithd', [
      'history',
      'rebuild',
      '--repo',
      'gitops',
      ...smithd.cliArgs,
      '--json',
    ]);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toEqual({
      repo: 'gitops',
      deployments: original.length,
      pinsRestored: true,
    });
    await smithd.restart();

    const fields = (d: Record<string, unknown>) => ({
      id: d.id,
      app: d.app,
      environment: d.environment,
      version: d.version,
      kind: d.kind,
      status: d.status,
      commit: d.commit,
      previousVersion: d.previousVersion,
      requestedBy: d.requestedBy,
    });
    expect((await allDeployments()).map(fields)).toEqual(original.map(fields));
    const pins = (await readTables(smithd, ['pins'])).pins as {
      app: string;
      environment: string;
      version: string;
    }[];
    expect(pins.map((p) => `${p.app} ${p.environment} ${p.version}`)).toEqual(['hello production 1']);
  });

  it('refuses to rebuild into a history that is not empty', async () => {
    const head = await headOf(smithd.gitopsRemote);
    const before = await readTables(smithd);
    const again = await runCli('smithd', ['history', 'rebuild', '--repo', 'gitops', ...smithd.cliArgs]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toMatch(/already holds \d+ deployment/);
    expect(await readTables(smithd)).toEqual(before);
    expect(await headOf(smithd.gitopsRemote)).toBe(head);
  });

  it('refuses an unknown repository name', async () => {
    const unknown = await runCli('smithd', ['history', 'rebuild', '--repo', 'nope', ...smithd.cliArgs]);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/No GitOps repository named nope/);
  });
});
