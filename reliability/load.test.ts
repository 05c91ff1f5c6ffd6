/**
 * Load: 50 concurrent publishing clients put 1,000 versions of 20 apps into one smithd (auto-deploy
 * policies on both environments), while operators make 500 manual deploys and rollbacks. Then
 * nothing may be missing, doubled or different: versions, bundles, deploys, commits, app folders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../packages/bundle/src/index.ts';
import { SmithClient } from '../packages/client/src/index.ts';
import type { Deployment, DeployResponse, Version } from '../packages/core/src/index.ts';
import { runCli } from '../packages/testkit/src/bin.ts';
import { type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { auditDeploys, diskStoredFiles, publishedBundlePath } from './gitops-audit.ts';
import { call } from './http.ts';
import { Witness } from './leaks.ts';
import { recordPart } from './ledger.ts';
import {
  type ManifestFile,
  metadataFor,
  publishInProcess,
  publishWithForge,
  sha256OfFile,
  versionManifests,
} from './publishing.ts';
import { describeLatency, seededRandom } from './stats.ts';

requireTool('git');
requireTool('kubectl');

const CLIENTS = 50;
const APPS = 20;
const VERSIONS = Number(process.env.RELIABILITY_LOAD_VERSIONS ?? 1000);
const MANUAL_DEPLOYS = Number(process.env.RELIABILITY_LOAD_DEPLOYS ?? 500);
/** Every FORGE_EVERY-th version a client publishes runs the real `forge publish` process. */
const FORGE_EVERY = Number(process.env.RELIABILITY_FORGE_EVERY ?? 10);
const OPERATORS = 10;
/** One manual deploy in SMITHCTL_EVERY runs the real `smithctl deploy` process. */
const SMITHCTL_EVERY = 10;
const ENVIRONMENTS = ['staging', 'production'];
/**
 * Clients start no new operation after this many seconds, so that a slow machine fails the first
 * test on its counts and the audits still read a system at rest, not one with requests in flight.
 */
const BUDGET_MS = Number(process.env.RELIABILITY_LOAD_BUDGET_S ?? 540) * 1000;

const random = seededRandom();
const witness = new Witness();
const apps = Array.from({ length: APPS }, (_, i) => `load-${String(i + 1).padStart(2, '0')}`);
let smithd: SmithdHandle;
const started = performance.now();

interface PublishedVersion {
  app: string;
  id: string;
  files: ManifestFile[];
  /** sha256 the client computed (in-process) or forge reported; undefined until published. */
  sha256: string;
  via: 'forge' | 'client';
}

const published: PublishedVersion[] = [];
const publishedByApp = new Map<string, PublishedVersion[]>(apps.map((app) => [app, []]));
const failures: string[] = [];
/** Versions, deploys or files found missing or wrong afterwards. */
const lost: string[] = [];
const latency = {
  client: [] as number[],
  forge: [] as number[],
  api: [] as number[],
  smithctl: [] as number[],
};
/** Every deployment a client was told about (auto-deploys from publish answers, manual deploys). */
const reported = new Map<string, Deployment>();
let manualDone = 0;
let manualNoops = 0;
let unpins = 0;
let publishSeconds = 0;
let deploySeconds = 0;
/** All clients and operators; the audits wait for it, whatever became of the first test. */
let work: Promise<unknown> = Promise.resolve();

function outOfTime(): boolean {
  return performance.now() - started > BUDGET_MS;
}

function versionPlan(index: number) {
  const app = apps[index % APPS] as string;
  const id = `1.${Math.floor(index / APPS)}.${index}`;
  // One build in three comes from main (auto-deploy to staging), the others from pull-request
  // branches that no policy deploys, as in most CI; one in ten is a release tag (auto-deploy to
  // production), so automation and people compete for production. Deploys to one repo are
  // serialised, so this mix (about 850 deploys) is what fits the budget on two cores.
  const branch = index % 3 === 0 ? 'main' : `feature/f${index}`;
  const tag = index % 10 === 0 ? `release-${index}` : null;
  return { app, id, branch, tag, files: versionManifests(app, id, index) };
}

function remember(deployments: Deployment[]): void {
  for (const deployment of deployments) reported.set(deployment.id, deployment);
}

async function publishingClient(client: SmithClient, number: number): Promise<void> {
  let turn = 0;
  for (let index = number; index < VERSIONS && !outOfTime(); index += CLIENTS) {
    const plan = versionPlan(index);
    const metadata = metadataFor(plan.app, plan.id, plan.branch, plan.tag);
    turn += 1;
    try {
      if (turn % FORGE_EVERY === 0) {
        const run = await publishWithForge(smithd, plan.app, plan.id, plan.files, metadata);
        witness.saw('forge', `${run.stdout}\n${run.stderr}`);
        if (run.result === undefined) throw new Error(`forge exit ${run.exitCode}: ${run.stderr}`);
        latency.forge.push(run.ms);
        remember(run.result.deployments as Deployment[]);
        const entry = { ...plan, sha256: run.result.version.sha256, via: 'forge' as const };
        published.push(entry);
        publishedByApp.get(plan.app)?.push(entry);
      } else {
        const result = await publishInProcess(client, plan.app, plan.id, plan.files, metadata);
        latency.client.push(result.ms);
        remember(result.response.deployments);
        if (result.response.version.sha256 !== result.sha256)
          failures.push(
            `${plan.app} ${plan.id}: smithd says sha256 ${result.response.version.sha256}, uploaded ${result.sha256}`,
          );
        const entry = { ...plan, sha256: result.sha256, via: 'client' as const };
        published.push(entry);
        publishedByApp.get(plan.app)?.push(entry);
      }
    } catch (error) {
      failures.push(`publish ${plan.app} ${plan.id}: ${(error as Error).message}`);
    }
  }
}

/** Deploys and rolls back by hand: mostly through the API (Idempotency-Key), one in ten through smithctl. */
async function operator(client: SmithClient): Promise<void> {
  while (manualDone < MANUAL_DEPLOYS && !outOfTime()) {
    const app = random.pick(apps);
    const versions = publishedByApp.get(app) ?? [];
    if (versions.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    manualDone += 1;
    const number = manualDone;
    const environment = random.next() < 0.7 ? 'production' : 'staging';
    // Forward to the newest, or back to an older one (a rollback, which pins the environment).
    const version =
      random.next() < 0.5 ? (versions.at(-1) as PublishedVersion) : random.pick(versions.slice(0, -1));
    try {
      let answer: DeployResponse;
      const t0 = performance.now();
      if (number % SMITHCTL_EVERY === 0) {
        const run = await runCli(
          'smithctl',
          ['deploy', app, version.id, '--env', environment, '--yes', '--json'],
          {
            env: { SMITH_URL: smithd.url, SMITH_API_KEY: smithd.apiKey },
          },
        );
        witness.saw('smithctl', `${run.stdout}\n${run.stderr}`);
        if (run.exitCode !== 0) throw new Error(`smithctl exit ${run.exitCode}: ${run.stderr}`);
        answer = JSON.parse(run.stdout) as DeployResponse;
        latency.smithctl.push(performance.now() - t0);
      } else {
        answer = await client.deploy(
          app,
          { version: version.id, environment },
          { idempotencyKey: randomUUID() },
        );
        latency.api.push(performance.now() - t0);
      }
      if (answer.noop) manualNoops += 1;
      else remember([answer.deployment]);
      if (answer.deployment.status !== 'succeeded')
        failures.push(
          `deploy ${app} ${version.id} to ${environment}: ${answer.deployment.status} ${answer.deployment.error}`,
        );
      // Now and then someone lifts the pin a rollback set, so automation resumes.
      if (answer.deployment.kind === 'rollback' && random.next() < 0.3) {
        await client.unpin(app, environment);
        unpins += 1;
      }
    } catch (error) {
      failures.push(`deploy ${app} ${version.id} to ${environment}: ${(error as Error).message}`);
    }
  }
}

beforeAll(async () => {
  smithd = await startSmithd();
  witness.key(smithd.apiKey);
  const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
  try {
    for (const app of apps) {
      await client.registerApp({ name: app, environments: ENVIRONMENTS });
      await client.putPolicy(app, 'staging', { branch: 'main' });
      await client.putPolicy(app, 'production', { tag: 'release-*' });
    }
  } finally {
    await client.close();
  }
});

afterAll(async () => {
  const output = smithd?.output() ?? '';
  await smithd?.stop();
  const operations = published.length + manualDone + unpins;
  await recordPart(
    {
      part: 'load',
      operations,
      failuresInjected: 0,
      inputsTried: 0,
      lost: lost.length,
      seconds: (performance.now() - started) / 1000,
      notes: [
        `seed ${random.seed}; ${published.length} versions published by ${CLIENTS} concurrent clients (${latency.forge.length} by the forge binary, ${latency.client.length} in-process through @deploysmith/client), ${reported.size} deploys (${[...reported.values()].filter((d) => d.kind === 'auto-deploy').length} auto), ${manualDone} manual (${manualNoops} no-ops), ${unpins} unpins`,
        describeLatency('publish in-process', latency.client, publishSeconds),
        describeLatency('publish forge process', latency.forge),
        describeLatency('manual deploy API', latency.api, deploySeconds),
        describeLatency('manual deploy smithctl', latency.smithctl),
      ],
    },
    { outputs: { ...witness.outputs, smithd: output }, keys: [...witness.keys] },
  );
});

describe('1,000 versions from 50 concurrent clients and 500 manual deploys, interleaved', () => {
  it(
    'publishes every version and makes every deploy without a single failure',
    async () => {
      const clients = Array.from(
        { length: CLIENTS },
        () => new SmithClient({ server: smithd.url, apiKey: smithd.apiKey, userAgent: 'reliability-load' }),
      );
      const operators = Array.from(
        { length: OPERATORS },
        () =>
          new SmithClient({ server: smithd.url, apiKey: smithd.apiKey, userAgent: 'reliability-operator' }),
      );
      try {
        const t0 = performance.now();
        const publishing = Promise.all(clients.map((client, i) => publishingClient(client, i))).then(() => {
          publishSeconds = (performance.now() - t0) / 1000;
        });
        const deploying = Promise.all(operators.map((client) => operator(client))).then(() => {
          deploySeconds = (performance.now() - t0) / 1000;
        });
        work = Promise.all([publishing, deploying]);
        await work;
      } finally {
        await Promise.all([...clients, ...operators].map((client) => client.close()));
      }
      console.log(
        [
          `load (seed ${random.seed}):`,
          describeLatency('  publish in-process', latency.client, publishSeconds),
          describeLatency('  publish forge process', latency.forge),
          describeLatency('  manual deploy API', latency.api, deploySeconds),
          describeLatency('  manual deploy smithctl', latency.smithctl),
          `  throughput: ${(published.length / publishSeconds).toFixed(1)} versions/s, ${(reported.size / Math.max(publishSeconds, deploySeconds)).toFixed(1)} deploys/s`,
        ].join('\n'),
      );
      expect(failures).toEqual([]);
      expect(published.length, `versions published within ${BUDGET_MS / 1000} s`).toBe(VERSIONS);
      expect(manualDone, `manual deploys made within ${BUDGET_MS / 1000} s`).toBe(MANUAL_DEPLOYS);
    },
    BUDGET_MS + 180_000,
  );

  it('lists every published version exactly once, its stored bundle byte-identical to the upload', async () => {
    await work.catch(() => undefined);
    const storage = `${smithd.dataDir}/storage`;
    for (const app of apps) {
      const listed: Version[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await call(smithd, 'GET', `/v1/apps/${app}/versions?limit=17${query}`);
        expect(page.status).toBe(200);
        listed.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      const ids = listed.map((v) => v.id);
      const expected = (publishedByApp.get(app) ?? []).map((v) => v.id);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (duplicates.length > 0) lost.push(`${app}: listed twice: ${duplicates.join(', ')}`);
      for (const id of expected) if (!ids.includes(id)) lost.push(`${app} ${id}: published, not listed`);
      for (const version of listed) {
        const mine = (publishedByApp.get(app) ?? []).find((v) => v.id === version.id);
        if (mine === undefined) {
          lost.push(`${app} ${version.id}: listed, never published`);
          continue;
        }
        if (version.state !== 'published') lost.push(`${app} ${version.id}: ${version.state}`);
        const path = publishedBundlePath(storage, app, version.id);
        const stored = await sha256OfFile(path).catch(() => 'missing');
        if (stored !== mine.sha256 || version.sha256 !== mine.sha256)
          lost.push(
            `${app} ${version.id}: uploaded ${mine.sha256}, smithd says ${version.sha256}, storage holds ${stored}`,
          );
        const { files } = await readBundle(path);
        const same =
          files.length === mine.files.length &&
          mine.files.every((f) =>
            files.some((g) => g.path === f.path && Buffer.from(g.content).equals(Buffer.from(f.content))),
          );
        if (!same) lost.push(`${app} ${version.id}: the stored manifests differ from the ones published`);
      }
    }
    expect(lost).toEqual([]);
  });

  it('records every deploy once, its commit on the branch exactly once, folders equal to the versions deployed, every environment building', async () => {
    await work.catch(() => undefined);
    const audit = await auditDeploys({
      target: smithd,
      remote: smithd.gitopsRemote,
      apps,
      environments: ENVIRONMENTS,
      storedFiles: diskStoredFiles(`${smithd.dataDir}/storage`),
    });
    const recorded = new Map(audit.deployments.map((d) => [d.id, d]));
    for (const [id, deployment] of reported) {
      const row = recorded.get(id);
      if (row === undefined)
        audit.problems.push(`deploy ${id} (${deployment.app} ${deployment.version}) was answered, then lost`);
      else if (row.status !== 'succeeded' || row.commit !== deployment.commit)
        audit.problems.push(
          `deploy ${id} was answered ${deployment.status} ${deployment.commit}, is recorded ${row.status} ${row.commit}`,
        );
    }
    const succeeded = audit.deployments.filter((d) => d.status === 'succeeded');
    console.log(
      `audit: ${audit.deployments.length} deployments recorded (${succeeded.length} succeeded), ${audit.deployCommits} deploy commits, objects built: ${JSON.stringify(audit.builtObjects)}`,
    );
    lost.push(...audit.problems);
    expect(audit.problems).toEqual([]);
    expect(audit.deployCommits).toBe(succeeded.length);
    for (const environment of ENVIRONMENTS) expect(audit.builtObjects[environment]).toBeGreaterThan(0);
  });

  it('leaves no API key in smithd log or CLI output', () => {
    expect(witness.leaks({ smithd: smithd.output() })).toEqual([]);
  });
});
