/**
 * A publish that stopped after the version became published but before its auto-deploy policies
 * ran (smithd killed, found by the reliability suite's crash run) is finished when the client
 * publishes again; and automation never moves an environment back to a version published earlier
 * than the one running there.
 */
import { listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { execSql } from './support/state.ts';

requireTool('git');
requireTool('kubectl');

let smithd: SmithdHandle;

const stagingVersion = async (): Promise<string | undefined> =>
  (await call(smithd, 'GET', '/v1/apps/auto')).body.status.find(
    (s: { environment: string }) => s.environment === 'staging',
  ).current?.version;

/** The same bytes every time (fixed createdAt), so publishing again is a retry, not a conflict. */
const publish = (version: string) =>
  publishVersion(smithd, 'auto', version, sampleManifests('auto', version), {
    createdAt: '2026-01-01T00:00:00.000Z',
  });

beforeAll(async () => {
  smithd = await startSmithd();
  await call(smithd, 'POST', '/v1/apps', { body: { name: 'auto', environments: ['staging'] } });
  await call(smithd, 'PUT', '/v1/apps/auto/policies/staging', { body: { branch: 'main' } });
});

afterAll(async () => {
  await smithd?.stop();
});

describe('a publish interrupted before its auto-deploys', () => {
  it('runs the auto-deploys when the version is published again, once', async () => {
    const first = await publish('1');
    expect(first.deployments).toHaveLength(1);
    // What a crash between "published" and the auto-deploy leaves: published, nothing deployed,
    // nothing recorded about its auto-deploys.
    await call(smithd, 'DELETE', '/v1/apps/auto/policies/staging');
    expect((await publish('2')).deployments).toEqual([]);
    await execSql(smithd, `update versions set auto_deploys = null where app = 'auto' and id = '2'`);
    await call(smithd, 'PUT', '/v1/apps/auto/policies/staging', { body: { branch: 'main' } });
    expect(await stagingVersion()).toBe('1');

    const again = await publish('2');
    expect(again.deployments.map((d) => `${d.environment} ${d.version} ${d.kind}`)).toEqual([
      'staging 2 auto-deploy',
    ]);
    expect(await stagingVersion()).toBe('2');
    // Recorded now: publishing once more answers the same and deploys nothing more.
    const commits = (await listCommits(smithd.gitopsRemote)).length;
    const third = await publish('2');
    expect(third.deployments.map((d) => d.id)).toEqual(again.deployments.map((d) => d.id));
    expect((await listCommits(smithd.gitopsRemote)).length).toBe(commits);
  });

  it('never moves an environment back to a version published before the one running there', async () => {
    await publish('3');
    expect(await stagingVersion()).toBe('3');
    await execSql(smithd, `update versions set auto_deploys = null where app = 'auto' and id = '2'`);
    const commits = (await listCommits(smithd.gitopsRemote)).length;
    const resumed = await publish('2');
    expect(resumed.deployments).toEqual([]);
    expect(resumed.skipped).toEqual([
      { environment: 'staging', reason: 'staging skipped: it runs 3, published after 2' },
    ]);
    expect(await stagingVersion()).toBe('3');
    expect((await listCommits(smithd.gitopsRemote)).length).toBe(commits);
  });
});
