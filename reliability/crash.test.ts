/**
 * Crash: 100 cycles, each a publish (which auto-deploys to staging) and a manual deploy running
 * at once, with smithd SIGKILLed at a random moment of them and restarted. The clients then do
 * what CI and smithctl do after a failure: run the same publish again, retry the deploy with the
 * same Idempotency-Key. Afterwards the database and the GitOps repo must agree, every version be
 * published once with its bundle intact, no deploy pending, and every restart serve within 2 s.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmithClient } from '../packages/client/src/index.ts';
import type { Deployment, PublishResponse } from '../packages/core/src/index.ts';
import { type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { type TempDir, tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { query } from './database.ts';
import { auditDeploys, diskStoredFiles, publishedBundlePath } from './gitops-audit.ts';
import { Witness } from './leaks.ts';
import { recordPart } from './ledger.ts';
import { metadataFor, publishInProcess, sha256OfFile, versionManifests } from './publishing.ts';
import { describeLatency, percentile, seededRandom } from './stats.ts';

requireTool('git');
requireTool('kubectl');

const CYCLES = Number(process.env.RELIABILITY_CRASH_CYCLES ?? 100);
const APPS = ['crash-a', 'crash-b', 'crash-c'];
const ENVIRONMENTS = ['staging', 'production'];
const RESTART_LIMIT_MS = 2000;

const random = seededRandom();
const witness = new Witness();
const started = performance.now();
let dataDir: TempDir;
let smithd: SmithdHandle;

interface VersionRecord {
  app: string;
  id: string;
  sha256?: string;
  /** The answer of the publish that completed (first try or retry). */
  answer?: PublishResponse;
}

const versions = new Map<string, VersionRecord>();
const publishedIds = new Map<string, string[]>(APPS.map((app) => [app, []]));
const restartMs: number[] = [];
const interrupted = { publish: 0, deploy: 0 };
const retryFailures: string[] = [];
const lost: string[] = [];
let kills = 0;
let operations = 0;

const client = () => new SmithClient({ server: smithd.url, apiKey: smithd.apiKey, timeoutMs: 30_000 });

async function publish(app: string, id: string, index: number): Promise<VersionRecord> {
  const record = versions.get(`${app}/${id}`) ?? { app, id };
  versions.set(`${app}/${id}`, record);
  const api = client();
  try {
    const result = await publishInProcess(
      api,
      app,
      id,
      versionManifests(app, id, index),
      metadataFor(app, id, 'main', null),
    );
    operations += 1;
    record.sha256 = result.sha256;
    record.answer = result.response;
    if (!publishedIds.get(app)?.includes(id)) publishedIds.get(app)?.push(id);
    return record;
  } finally {
    await api.close().catch(() => undefined);
  }
}

async function deploy(app: string, version: string, key: string): Promise<Deployment> {
  const api = client();
  try {
    const answer = await api.deploy(app, { version, environment: 'production' }, { idempotencyKey: key });
    operations += 1;
    return answer.deployment;
  } finally {
    await api.close().catch(() => undefined);
  }
}

beforeAll(async () => {
  dataDir = await tempDir('reliability-crash-');
  smithd = await startSmithd({ dataDir: dataDir.path });
  witness.key(smithd.apiKey);
  const api = client();
  try {
    for (const app of APPS) {
      await api.registerApp({ name: app, environments: ENVIRONMENTS });
      await api.putPolicy(app, 'staging', { branch: 'main' });
    }
  } finally {
    await api.close();
  }
  for (const [i, app] of APPS.entries()) {
    await publish(app, 'base-1', 1000 + i);
    await publish(app, 'base-2', 2000 + i);
  }
});

afterAll(async () => {
  const output = smithd?.output() ?? '';
  await smithd?.stop();
  await dataDir?.remove();
  await recordPart(
    {
      part: 'crash',
      operations,
      failuresInjected: kills,
      inputsTried: 0,
      lost: lost.length,
      seconds: (performance.now() - started) / 1000,
      notes: [
        `seed ${random.seed}; ${kills} SIGKILLs; interrupted ${interrupted.publish} publishes and ${interrupted.deploy} deploys, all retried`,
        `${describeLatency('restart (spawn to healthy /healthz)', restartMs)}, max ${Math.max(...restartMs).toFixed(0)} ms (limit ${RESTART_LIMIT_MS} ms)`,
      ],
    },
    { outputs: { ...witness.outputs, smithd: output }, keys: [...witness.keys] },
  );
});

describe('SIGKILL at random moments of 100 publish/deploy cycles', () => {
  it('survives every kill: each restart serves within 2 s with nothing pending, and every interrupted request succeeds when retried', async () => {
    let window = 1500;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const app = APPS[cycle % APPS.length] as string;
      const other = APPS[(cycle + 1) % APPS.length] as string;
      const id = `c${cycle}`;
      const targets = publishedIds.get(other) ?? [];
      const target = random.pick(targets);
      const key = randomUUID();
      const t0 = performance.now();
      const publishing = publish(app, id, cycle);
      const deploying = deploy(other, target, key);
      const outcome = Promise.allSettled([publishing, deploying]);
      const delay = random.int(window);
      await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, delay))]);
      await smithd.kill('SIGKILL');
      kills += 1;
      const [published, deployed] = await outcome;

      const t1 = performance.now();
      await smithd.restart();
      restartMs.push(performance.now() - t1);

      const pending = query(
        smithd.dataDir,
        "select id, app, version from deployments where status = 'pending'",
      );
      if (pending.length > 0) lost.push(`cycle ${cycle}: pending after restart: ${JSON.stringify(pending)}`);

      // What CI and smithctl do after a failure: the same publish again, the deploy with the same key.
      const t2 = performance.now();
      if (published.status === 'rejected') {
        interrupted.publish += 1;
        await publish(app, id, cycle).catch((error: Error) =>
          retryFailures.push(`publish ${app} ${id}: ${error.message}`),
        );
      }
      if (deployed.status === 'rejected') {
        interrupted.deploy += 1;
        const retried = await deploy(other, target, key).catch((error: Error) => {
          retryFailures.push(`deploy ${other} ${target} (key ${key}): ${error.message}`);
          return undefined;
        });
        if (retried !== undefined && retried.status !== 'succeeded')
          retryFailures.push(`deploy ${other} ${target} retried: ${retried.status} ${retried.error}`);
      }
      // Kills should land anywhere in the cycle's work: aim the next one at how long a cycle takes.
      if (published.status === 'fulfilled' && deployed.status === 'fulfilled')
        window = Math.max(200, (performance.now() - t0) * 1.2);
      else window = Math.max(window, (performance.now() - t2) * 1.2);
    }
    console.log(
      `crash (seed ${random.seed}): ${kills} kills, interrupted ${interrupted.publish} publishes and ${interrupted.deploy} deploys; ${describeLatency('restart to healthy', restartMs)}, max ${Math.max(...restartMs).toFixed(0)} ms`,
    );
    expect(retryFailures).toEqual([]);
    expect(lost).toEqual([]);
    expect(interrupted.publish + interrupted.deploy).toBeGreaterThan(0);
  });

  it('serves again within 2 seconds of every restart', () => {
    expect(restartMs).toHaveLength(CYCLES);
    const slow = restartMs.filter((ms) => ms > RESTART_LIMIT_MS).map((ms) => Math.round(ms));
    expect(
      slow,
      `restarts slower than ${RESTART_LIMIT_MS} ms (p50 ${percentile(restartMs, 0.5).toFixed(0)} ms)`,
    ).toEqual([]);
  });

  it('has every version published exactly once, its stored bundle the one uploaded, and no draft left half-published', async () => {
    const drafts = query(smithd.dataDir, "select app, id from versions where state = 'draft'");
    expect(drafts).toEqual([]);
    for (const app of APPS) {
      const rows = query<{ id: string; sha256: string }>(
        smithd.dataDir,
        'select id, sha256 from versions where app = ? order by position',
        app,
      );
      const ids = rows.map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...(publishedIds.get(app) ?? [])].sort());
      for (const row of rows) {
        const record = versions.get(`${app}/${row.id}`);
        const stored = await sha256OfFile(
          publishedBundlePath(`${smithd.dataDir}/storage`, app, row.id),
        ).catch(() => 'missing');
        if (stored !== record?.sha256 || row.sha256 !== record?.sha256)
          lost.push(`${app} ${row.id}: uploaded ${record?.sha256}, recorded ${row.sha256}, stored ${stored}`);
      }
    }
    expect(lost).toEqual([]);
  });

  it('auto-deployed every version published from main, or says why not, even when the publish was interrupted', () => {
    const silent: string[] = [];
    for (const record of versions.values()) {
      const answer = record.answer;
      if (answer === undefined) continue;
      const told =
        answer.deployments.some((d) => d.environment === 'staging') ||
        answer.skipped.some((s) => s.environment === 'staging');
      if (!told)
        silent.push(`${record.app} ${record.id}: published, neither deployed to staging nor skipped`);
    }
    lost.push(...silent);
    expect(silent).toEqual([]);
  });

  it('leaves the database and the GitOps repo in agreement: no deploy without its commit, no commit of a failed deploy, no partial folder', async () => {
    const audit = await auditDeploys({
      target: smithd,
      remote: smithd.gitopsRemote,
      apps: APPS,
      environments: ENVIRONMENTS,
      storedFiles: diskStoredFiles(`${smithd.dataDir}/storage`),
    });
    const failed = audit.deployments.filter((d) => d.status === 'failed').length;
    console.log(
      `crash audit: ${audit.deployments.length} deployments (${failed} failed by the crashes), ${audit.deployCommits} deploy commits, objects built ${JSON.stringify(audit.builtObjects)}`,
    );
    lost.push(...audit.problems);
    expect(audit.problems).toEqual([]);
  });

  it('leaves no API key in smithd log', () => {
    expect(witness.leaks({ smithd: smithd.output() })).toEqual([]);
  });
});
