/**
 * PostgreSQL or S3 going away in the middle of a burst of requests: every answer is a success or a
 * 503 that names what is down (never a 500, never a crash), nothing is half-recorded, and smithd
 * serves again as soon as they are back, without a restart.
 */
import { sampleManifests } from '@deploysmith/testkit/gitops';
import { waitFor } from '@deploysmith/testkit/ports';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, call, draftAndUpload, metadata, sha256 } from './support/api.ts';
import { type OwnServers, startOwnServers } from './support/own-servers.ts';
import { readTables, storedKeys } from './support/state.ts';
import { tarGz, versionYml } from './support/tar.ts';

requireTool('git');

let servers: OwnServers;
let smithd: SmithdHandle;

beforeAll(async () => {
  servers = await startOwnServers();
  smithd = await startSmithd({ backend: await servers.backend('outages') });
  for (const version of ['1', '2', '3']) {
    await publishVersion(smithd, 'burst', version, sampleManifests('burst', version));
  }
});

afterAll(async () => {
  await smithd?.stop();
  await servers?.stop();
});

function bundleOf(id: string): Buffer {
  const [deployment] = sampleManifests('burst', id);
  return tarGz([
    { name: 'version.yml', content: versionYml('burst', id) },
    { name: 'manifests/', type: '5' },
    { name: 'manifests/deployment.yaml', content: deployment?.content ?? '' },
  ]);
}

const draft = (id: string) => {
  const bytes = bundleOf(id);
  return call(smithd, 'POST', '/v1/apps/burst/versions', {
    body: { id, metadata: metadata(), sha256: sha256(bytes), size: bytes.length },
  });
};
const publish = (id: string) => call(smithd, 'POST', `/v1/apps/burst/versions/${id}/publish`, { body: {} });
const deploy = (version: string, environment: string) =>
  call(smithd, 'POST', '/v1/apps/burst/deployments', { body: { version, environment } });

/** Every answer is a success or a 503 with `code`, whose message matches `names`; some of each. */
function expectSuccessOr503(answers: Answer[], code: string, names: RegExp): void {
  for (const answer of answers) {
    if (answer.status < 300) continue;
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toMatch(names);
  }
}

async function ready(): Promise<boolean> {
  return (await call(smithd, 'GET', '/readyz', { key: null })).status === 200;
}

/**
 * Requests made one after another by `workers` loops until stopped: a burst that is still going on
 * when a server goes away. `answers[i]` is the answer to `request(i)`.
 */
function burst(workers: number, request: (i: number) => Promise<Answer>, limit = Number.POSITIVE_INFINITY) {
  let stopped = false;
  let next = 0;
  const answers: Answer[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped && next < limit) {
      const i = next++;
      // smithd not answering at all (a crash) shows up in the assertions, not as a hang.
      answers[i] = await request(i).catch((error: Error) => ({
        status: 0,
        body: error.message,
        headers: {},
      }));
    }
  });
  const count = (status: (code: number) => boolean) =>
    answers.filter((answer) => answer !== undefined && status(answer.status)).length;
  return {
    answers,
    /** Waits until `n` answers with such a status arrived. */
    until: (n: number, status: (code: number) => boolean, what: string) =>
      waitFor(what, async () => count(status) >= n, 60_000),
    async stop(): Promise<Answer[]> {
      stopped = true;
      await Promise.all(loops);
      return answers;
    },
  };
}

const ok = (status: number) => status < 300;
const unavailable = (status: number) => status === 503;

describe('the database goes away during a burst of requests', () => {
  it('answers 503 database_unavailable, records nothing half, and recovers without a restart', async () => {
    const names = /PostgreSQL database 127\.0\.0\.1:\d+\/outages/;
    const drafts = burst(3, (i) => draft(`a${i}`));
    const deploys = burst(1, (i) =>
      deploy(['1', '2', '3'][i % 3] as string, i % 2 === 0 ? 'staging' : 'production'),
    );
    const reads = burst(1, () => call(smithd, 'GET', '/v1/apps/burst/versions'));
    await drafts.until(6, ok, 'drafts before the outage');
    await deploys.until(2, ok, 'deploys before the outage');
    await servers.postgres.pause();
    await drafts.until(6, unavailable, 'drafts refused during the outage');
    await deploys.until(2, unavailable, 'deploys refused during the outage');
    await reads.until(2, unavailable, 'reads refused during the outage');
    const readiness = await call(smithd, 'GET', '/readyz', { key: null });
    expect(readiness.status).toBe(503);
    expect(readiness.body.error.code).toBe('database_unavailable');
    const answers = { drafts: await drafts.stop(), deploys: await deploys.stop(), reads: await reads.stop() };
    expectSuccessOr503(
      [...answers.drafts, ...answers.deploys, ...answers.reads],
      'database_unavailable',
      names,
    );

    await servers.postgres.resume();
    await waitFor('readiness after the database is back', ready, 30_000);

    // A draft is recorded whole or not at all.
    for (const [i, answer] of answers.drafts.entries()) {
      const row = await call(smithd, 'GET', `/v1/apps/burst/versions/a${i}`);
      expect(row.status, `a${i} after a ${answer.status}`).toBe(answer.status === 201 ? 200 : 404);
    }
    // A deploy that lost the database after its push is settled from git before the next write.
    expect((await deploy('3', 'production')).status).toBeLessThan(300);
    const rows = (await readTables(smithd, ['deployments'])).deployments as { id: string; status: string }[];
    expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
    for (const answer of answers.deploys.filter((d) => d.status === 201)) {
      expect(rows.find((row) => row.id === answer.body.deployment.id)?.status).toBe('succeeded');
    }
    // Everything works again in the same process.
    const { draft: drafted, upload } = await draftAndUpload(
      smithd,
      'burst',
      'after-db',
      bundleOf('after-db'),
    );
    expect(drafted.status).toBe(201);
    expect(upload?.status).toBe(200);
    expect((await publish('after-db')).status).toBe(200);
    expect((await deploy('after-db', 'staging')).status).toBe(201);
  });
});

describe('the storage goes away during a burst of requests', () => {
  it('answers 503 storage_unavailable naming the store, records nothing half, and recovers without a restart', async () => {
    const names = /s3:\/\/deploysmith-test\/outages at http:\/\/127\.0\.0\.1:\d+/;
    const uploaded = Array.from({ length: 40 }, (_, i) => `p${i}`);
    await Promise.all(
      uploaded.map(async (id) => {
        expect((await draftAndUpload(smithd, 'burst', id, bundleOf(id))).upload?.status).toBe(200);
      }),
    );
    const deployRows = async () =>
      ((await readTables(smithd, ['deployments'])).deployments as unknown[]).length;
    const rowsBefore = await deployRows();
    const drafts = burst(2, (i) => draft(`c${i}`));
    // Each uploaded draft is published once at most.
    const publishes = burst(1, (i) => publish(uploaded[i] as string), uploaded.length);
    const deploys = burst(1, (i) =>
      deploy(['1', '2', '3'][i % 3] as string, i % 2 === 0 ? 'staging' : 'production'),
    );
    await drafts.until(4, ok, 'drafts before the outage');
    await publishes.until(2, ok, 'publishes before the outage');
    await deploys.until(2, ok, 'deploys before the outage');
    await servers.s3.pause();
    await drafts.until(4, unavailable, 'drafts refused during the outage');
    await publishes.until(2, unavailable, 'publishes refused during the outage');
    await deploys.until(2, unavailable, 'deploys refused during the outage');
    const readiness = await call(smithd, 'GET', '/readyz', { key: null });
    expect(readiness.status).toBe(503);
    expect(readiness.body.error.code).toBe('storage_unavailable');
    expect(readiness.body.error.message).toMatch(names);
    const answers = { drafts: await drafts.stop(), deploys: await deploys.stop() };
    const published = await publishes.stop();
    expectSuccessOr503([...answers.drafts, ...published, ...answers.deploys], 'storage_unavailable', names);

    await servers.s3.resume();
    await waitFor('readiness after the storage is back', ready, 30_000);

    for (const [i, answer] of answers.drafts.entries()) {
      const row = await call(smithd, 'GET', `/v1/apps/burst/versions/c${i}`);
      expect(row.status, `c${i} after a ${answer.status}`).toBe(answer.status === 201 ? 200 : 404);
    }
    // A publish that failed left a draft (and, when the store went away after its copy, a copy
    // nothing reads); publishing it again works and leaves the one bundle.
    for (const [i, id] of uploaded.entries()) {
      const state = (await call(smithd, 'GET', `/v1/apps/burst/versions/${id}`)).body.state;
      if (published[i]?.status !== 200) {
        expect(state, `${id} after ${published[i]?.status}`).toBe('draft');
        expect((await publish(id)).status).toBe(200);
      } else {
        expect(state).toBe('published');
      }
      expect(await storedKeys(smithd, `published/burst/${id}/`)).toEqual([
        `published/burst/${id}/bundle.tar.gz`,
      ]);
    }
    // A deploy that could not read its bundle recorded nothing.
    const answered = answers.deploys.filter((answer) => answer.status === 201).length;
    expect(await deployRows()).toBe(rowsBefore + answered);
    expect((await deploy('p0', 'production')).status).toBe(201);
  });
});
