/**
 * The same smithd on PostgreSQL: migrations, keys, publish, deploy, rollback pin, version list and
 * history all run through the one Kysely layer on the other dialect.
 */
import { runCli } from '@deploysmith/testkit/bin';
import { sampleManifests } from '@deploysmith/testkit/gitops';
import { type PostgresHandle, startPostgres } from '@deploysmith/testkit/postgres';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';

requireTool('git');

let postgres: PostgresHandle;
let smithd: SmithdHandle;
let database: string;

beforeAll(async () => {
  postgres = await startPostgres();
  database = await postgres.createDatabase('smithd');
  smithd = await startSmithd({ env: { SMITHD_DATABASE: database } });
});

afterAll(async () => {
  await smithd?.stop();
  await postgres?.stop();
});

describe('on PostgreSQL', () => {
  it('publishes, deploys, rolls back with a pin and lists what runs where', async () => {
    await publishVersion(smithd, 'hello', '1', sampleManifests('hello', '1'));
    await publishVersion(smithd, 'hello', '2', sampleManifests('hello', '2'));
    const deploy = (version: string, key: string) =>
      call(smithd, 'POST', '/v1/apps/hello/deployments', {
        body: { version, environment: 'staging' },
        headers: { 'idempotency-key': key },
      });
    expect((await deploy('2', 'a')).body.deployment.kind).toBe('deploy');
    const rollback = await deploy('1', 'b');
    expect(rollback.body.deployment).toMatchObject({
      kind: 'rollback',
      previousVersion: '2',
      status: 'succeeded',
    });
    const replay = await deploy('1', 'b');
    expect(replay.status).toBe(200);
    expect(replay.body.deployment.id).toBe(rollback.body.deployment.id);
    const versions = await call(smithd, 'GET', '/v1/apps/hello/versions?limit=1');
    expect(versions.body.items.map((v: { id: string }) => v.id)).toEqual(['2']);
    const next = await call(smithd, 'GET', `/v1/apps/hello/versions?cursor=${versions.body.nextCursor}`);
    expect(next.body.items.map((v: { id: string; deployedTo: string[] }) => [v.id, v.deployedTo])).toEqual([
      ['1', ['staging']],
    ]);
    const app = await call(smithd, 'GET', '/v1/apps/hello');
    expect(app.body.status[0].pin).toMatchObject({ version: '1', pinnedBy: 'admin' });
    const history = await call(smithd, 'GET', '/v1/apps/hello/deployments');
    expect(history.body.items.map((d: { version: string }) => d.version)).toEqual(['1', '2']);
  });

  it('manages keys in the same database', async () => {
    const created = await runCli('smithd', [
      'keys',
      'create',
      '--name',
      'ci',
      '--database',
      database,
      '--json',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout).key as string;
    expect((await call(smithd, 'GET', '/v1/apps', { key })).status).toBe(200);
    expect((await runCli('smithd', ['keys', 'revoke', 'ci', '--database', database])).exitCode).toBe(0);
    expect((await call(smithd, 'GET', '/v1/apps', { key })).status).toBe(401);
  });
});
