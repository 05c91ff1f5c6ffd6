/**
 * Faults: the GitOps remote unreachable, refusing pushes, or rewritten by someone else; the
 * storage unreachable; the data dir's disk full; the database locked by another process. Each
 * request that meets a fault fails fast with a message naming the cause, nothing is lost or
 * recorded as done, and the same request succeeds once the fault is gone.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmithClient } from '../packages/client/src/index.ts';
import { createBareRepo, headOf, listCommits } from '../packages/testkit/src/gitops.ts';
import { type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { type TempDir, tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { dumpTables, holdExclusiveLock } from './database.ts';
import { forcePushRewrite, mergeBack, pushOnTop, refusePushes, takeAway } from './git-faults.ts';
import { auditDeploys, diskStoredFiles } from './gitops-audit.ts';
import { type Answer, call } from './http.ts';
import { Witness } from './leaks.ts';
import { recordPart } from './ledger.ts';
import { metadataFor, publishInProcess, versionManifests } from './publishing.ts';

requireTool('git');
requireTool('kubectl');

const APP = 'faulty';
const ENVIRONMENTS = ['staging', 'production'];
/** A request that meets a fault must answer within this (the database one waits out smithd's 5 s busy timeout). */
const FAST_MS = 10_000;

const witness = new Witness();
const started = performance.now();
const notes: string[] = [];
let operations = 0;
let injected = 0;
let lostCount = 0;
let sandbox: TempDir;
let remote: string;
let smithd: SmithdHandle;
let versionCounter = 0;

const deploy = async (version: string, environment = 'production'): Promise<Answer> => {
  operations += 1;
  return call(smithd, 'POST', `/v1/apps/${APP}/deployments`, { body: { version, environment } });
};

async function publish(target: SmithdHandle = smithd): Promise<string> {
  versionCounter += 1;
  const id = `f${versionCounter}`;
  const client = new SmithClient({ server: target.url, apiKey: target.apiKey });
  try {
    await publishInProcess(
      client,
      APP,
      id,
      versionManifests(APP, id, versionCounter),
      metadataFor(APP, id, 'main', null),
    );
    operations += 1;
    return id;
  } finally {
    await client.close();
  }
}

/** What must not change when a request fails: what runs where, the pins, the versions, the branch. */
async function deployedState(handle: SmithdHandle) {
  const tables = dumpTables(handle.dataDir);
  const app = await call(handle, 'GET', `/v1/apps/${APP}`);
  return {
    current: app.body.status.map((s: { environment: string; current: { id: string } | null }) => [
      s.environment,
      s.current?.id ?? null,
    ]),
    pins: tables.pins,
    versions: tables.versions,
    head: await headOf(remote),
  };
}

/** The failure every fault must give: fast, the right status and code, a message naming the cause. */
function expectNamedFailure(answer: Answer, status: number, code: string, cause: RegExp): void {
  witness.saw('error-bodies', answer.text);
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error.code, answer.text).toBe(code);
  expect(answer.body.error.message, answer.text).toMatch(cause);
  expect(answer.ms).toBeLessThan(FAST_MS);
  injected += 1;
}

async function audit(handle: SmithdHandle): Promise<string[]> {
  const result = await auditDeploys({
    target: handle,
    remote,
    apps: [APP],
    environments: ENVIRONMENTS,
    storedFiles: diskStoredFiles(join(handle.dataDir, 'storage')),
  });
  lostCount += result.problems.length;
  return result.problems;
}

beforeAll(async () => {
  sandbox = await tempDir('reliability-faults-');
  remote = await createBareRepo(join(sandbox.path, 'remote.git'));
  smithd = await startSmithd({
    dataDir: join(sandbox.path, 'data'),
    args: [
      '--gitops-repo',
      `gitops=${remote}#main`,
      '--environments',
      ENVIRONMENTS.join(','),
      '--log-level',
      'debug',
    ],
  });
  witness.key(smithd.apiKey);
  await call(smithd, 'POST', '/v1/apps', { body: { name: APP, environments: ENVIRONMENTS } });
  await publish();
  await publish();
  expect((await deploy('f1')).status).toBe(201);
});

afterAll(async () => {
  const output = smithd?.output() ?? '';
  await smithd?.stop();
  await sandbox?.remove();
  await recordPart(
    {
      part: 'faults',
      operations,
      failuresInjected: injected,
      inputsTried: 0,
      lost: lostCount,
      seconds: (performance.now() - started) / 1000,
      notes,
    },
    { outputs: { ...witness.outputs, smithd: output }, keys: [...witness.keys] },
  );
});

/** The deploy was committed as the branch's newest commit, with `kept` (another writer's) still below it. */
async function expectDeployOnTopOf(kept: string, answer: Answer): Promise<void> {
  expect(answer.status, answer.text).toBe(201);
  const commits = await listCommits(remote);
  expect(commits.map((c) => c.commit)).toContain(kept);
  expect(commits.at(-1)?.trailers['Deploy-Id']).toBe(answer.body.deployment.id);
  expect(await audit(smithd)).toEqual([]);
}

describe('the GitOps remote', () => {
  it('unreachable: the deploy fails at once (502) naming the repo, records nothing as deployed, and succeeds once it is back', async () => {
    const before = await deployedState(smithd);
    const restore = await takeAway(remote);
    let answer: Answer;
    try {
      answer = await deploy('f2');
    } finally {
      await restore();
    }
    expectNamedFailure(answer, 502, 'gitops_unreachable', /GitOps repo "gitops" .*cannot be reached/);
    expect(await deployedState(smithd)).toEqual(before);
    expect((await deploy('f2')).status).toBe(201);
    expect(await audit(smithd)).toEqual([]);
  });

  it('refusing pushes (pre-receive hook): the deploy fails (502) with the hook message, nothing deployed, and succeeds once the hook is gone', async () => {
    const id = await publish();
    const before = await deployedState(smithd);
    const allow = await refusePushes(remote, 'push refused by the release freeze');
    let answer: Answer;
    try {
      answer = await deploy(id);
    } finally {
      await allow();
    }
    expectNamedFailure(answer, 502, 'gitops_rejected', /refused the push.*release freeze|release freeze/);
    expect(await deployedState(smithd)).toEqual(before);
    const failed = (await call(smithd, 'GET', `/v1/apps/${APP}/deployments?limit=1`)).body.items[0];
    expect(failed).toMatchObject({ version: id, status: 'failed', commit: null });
    expect((await deploy(id)).status).toBe(201);
    expect(await audit(smithd)).toEqual([]);
  });

  it('moved by another writer: the deploy lands on top of their commit, which stays', async () => {
    const id = await publish();
    const theirs = await pushOnTop(remote);
    injected += 1;
    await expectDeployOnTopOf(theirs, await deploy(id));
  });

  it('rewritten by someone else, every deploy commit kept: the deploy lands on the rewritten branch, nothing lost', async () => {
    const id = await publish();
    await pushOnTop(remote);
    // smithd fetches their commit (a dry run), then they amend it and force-push: non-fast-forward.
    const plan = await call(smithd, 'POST', `/v1/apps/${APP}/deployments`, {
      body: { version: id, environment: 'production', dryRun: true },
    });
    expect(plan.status, plan.text).toBe(200);
    const { head } = await forcePushRewrite(remote, 1);
    injected += 1;
    await expectDeployOnTopOf(head, await deploy(id));
  });

  it('rewritten by someone else, dropping a deploy commit: the next deploy is refused naming the dropped deploy, and works once it is merged back', async () => {
    const id = await publish();
    const before = await deployedState(smithd);
    const lostDeploy = (await listCommits(remote)).at(-1)?.trailers['Deploy-Id'] as string;
    expect(lostDeploy).toBeDefined();
    const { replaced } = await forcePushRewrite(remote, 1);
    const headAfterRewrite = await headOf(remote);
    const answer = await deploy(id);
    expectNamedFailure(answer, 502, 'gitops_rejected', /rewritten by someone else \(a force-push\)/);
    expect(answer.body.error.message).toContain(lostDeploy);
    expect((await deployedState(smithd)).current).toEqual(before.current);
    expect(await headOf(remote)).toBe(headAfterRewrite);
    await mergeBack(remote, replaced);
    expect((await deploy(id)).status).toBe(201);
    expect(await audit(smithd)).toEqual([]);
  });
});

describe('the storage', () => {
  it('unreachable: publish, upload and deploy fail fast (503) naming the storage, nothing changes, and all succeed once it is back', async () => {
    const storage = join(smithd.dataDir, 'storage');
    // Like a network file system gone away: every path under the storage root fails.
    await rename(storage, `${storage}.away`);
    await writeFile(storage, 'not a directory\n');
    const before = dumpTables(smithd.dataDir);
    const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
    try {
      const ready = await call(smithd, 'GET', '/readyz', { key: null });
      expectNamedFailure(ready, 503, 'storage_unavailable', /storage/i);
      const id = `f${versionCounter + 1}`;
      const failure = await publishInProcess(
        client,
        APP,
        id,
        versionManifests(APP, id, 99),
        metadataFor(APP, id, 'main', null),
      ).then(
        () => undefined,
        (error: Error & { code?: string; status?: number }) => error,
      );
      expect(failure?.message).toMatch(/storage/i);
      expect(failure?.code).toBe('storage_unavailable');
      injected += 1;
      const redeploy = await deploy('f1');
      expectNamedFailure(redeploy, 503, 'storage_unavailable', /storage/i);
      const after = dumpTables(smithd.dataDir);
      expect(after.versions).toEqual(before.versions);
      expect(after.pins).toEqual(before.pins);
    } finally {
      await client.close();
      await rm(storage, { force: true });
      await rename(`${storage}.away`, storage);
    }
    expect((await call(smithd, 'GET', '/readyz', { key: null })).status).toBe(200);
    const id = await publish();
    expect((await deploy(id)).status).toBe(201);
    expect(await audit(smithd)).toEqual([]);
  });
});

describe('the database', () => {
  it('locked by another process for 8 s: writes fail after the busy timeout (503) naming the lock, reads go on, and both work once it is released', async () => {
    const before = dumpTables(smithd.dataDir);
    const headBefore = await headOf(remote);
    const lock = await holdExclusiveLock(smithd.dataDir, 8000);
    injected += 1;
    try {
      const read = await call(smithd, 'GET', `/v1/apps/${APP}/versions`);
      expect(read.status).toBe(200);
      const answer = await deploy('f2', 'staging');
      expectNamedFailure(answer, 503, 'database_unavailable', /locked|busy/i);
    } finally {
      await lock.released;
    }
    expect(dumpTables(smithd.dataDir)).toEqual(before);
    expect(await headOf(remote)).toBe(headBefore);
    expect((await deploy('f2', 'staging')).status).toBe(201);
    expect(await audit(smithd)).toEqual([]);
  });

  it('locked for 2 s: writes wait for it and succeed', async () => {
    const id = await publish();
    const lock = await holdExclusiveLock(smithd.dataDir, 2000);
    injected += 1;
    try {
      expect((await deploy(id, 'staging')).status).toBe(201);
    } finally {
      await lock.released;
    }
    expect(await audit(smithd)).toEqual([]);
  });
});

describe('a full disk in the data dir', () => {
  it('fails publishes and deploys (507) naming the full disk, keeps what was there, and works again once space is freed', async () => {
    const { smallDisk } = await import('./small-disk.ts');
    const disk = await smallDisk(48);
    notes.push(`disk full simulated with ${disk.how}`);
    console.log(`disk full: ${disk.how}`);
    let full: SmithdHandle | undefined;
    const app = 'disky';
    const publishTo = async (id: string, index: number) => {
      const handle = full as SmithdHandle;
      const client = new SmithClient({ server: handle.url, apiKey: handle.apiKey });
      try {
        await publishInProcess(
          client,
          app,
          id,
          versionManifests(app, id, index),
          metadataFor(app, id, 'main', null),
        );
        operations += 1;
      } finally {
        await client.close();
      }
    };
    const deployTo = (version: string, environment: string) => {
      operations += 1;
      return call(full as SmithdHandle, 'POST', `/v1/apps/${app}/deployments`, {
        body: { version, environment },
      });
    };
    const currentIds = async () =>
      (await call(full as SmithdHandle, 'GET', `/v1/apps/${app}`)).body.status.map(
        (s: { current: { id: string } | null }) => s.current?.id ?? null,
      );
    try {
      full = await startSmithd({
        dataDir: disk.dataDir,
        wrapper: disk.wrapper,
        args: [
          '--gitops-repo',
          `gitops=${remote}#main`,
          '--environments',
          ENVIRONMENTS.join(','),
          '--log-level',
          'debug',
        ],
      });
      witness.key(full.apiKey);
      expect(
        (await call(full, 'POST', '/v1/apps', { body: { name: app, environments: ENVIRONMENTS } })).status,
      ).toBe(201);
      await publishTo('d1', 1);
      expect((await deployTo('d1', 'staging')).status).toBe(201);
      const head = await headOf(remote);
      const before = await currentIds();

      await disk.fill();
      injected += 1;
      const failedPublish = await publishTo('d2', 2).then(
        () => undefined,
        (error: Error & { code?: string }) => error,
      );
      expect(failedPublish?.code, failedPublish?.message).toBe('insufficient_storage');
      expect(failedPublish?.message).toMatch(/disk is full/);
      const failedDeploy = await deployTo('d1', 'production');
      expectNamedFailure(failedDeploy, 507, 'insufficient_storage', /disk is full/);
      expect(await headOf(remote)).toBe(head);
      expect(await currentIds()).toEqual(before);

      await disk.free();
      await publishTo('d2', 2);
      expect((await deployTo('d2', 'production')).status).toBe(201);
      const result = await auditDeploys({
        target: full,
        remote,
        apps: [app],
        environments: ENVIRONMENTS,
        storedFiles: diskStoredFiles(join(disk.dataDir, 'storage')),
      });
      lostCount += result.problems.length;
      expect(result.problems).toEqual([]);
    } finally {
      witness.saw('smithd-disk-full', full?.output() ?? '');
      await full?.stop();
      await disk.remove();
    }
  });
});
