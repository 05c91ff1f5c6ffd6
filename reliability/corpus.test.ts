/**
 * Bad input corpus: over 200 hostile inputs, generated from the tables in `corpus/`, across the
 * API, raw HTTP, the signed upload, the bundle format, the manifests, deploy-time tricks and the
 * forge and smithctl command lines. For each: a clear 4xx (or the documented exit code), smithd
 * still serving, the database unchanged, and no file changed or added anywhere in the sandbox
 * around the data dir (smithd's temp dir, working directory and home, the CLIs' too), nor at the
 * absolute paths the tar-slip cases aim at.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmithClient } from '../packages/client/src/index.ts';
import { type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { type TempDir, tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { apiCases } from './corpus/api-cases.ts';
import { bundleCases } from './corpus/bundle-cases.ts';
import type { CorpusContext, Family, HostileCase, Outcome } from './corpus/case.ts';
import { cliCases } from './corpus/cli-cases.ts';
import { httpCases } from './corpus/http-cases.ts';
import { manifestCases } from './corpus/manifest-cases.ts';
import { uploadCases } from './corpus/upload-cases.ts';
import { dumpTables } from './database.ts';
import { call } from './http.ts';
import { Witness } from './leaks.ts';
import { recordPart } from './ledger.ts';
import { metadataFor, publishInProcess, versionManifests } from './publishing.ts';
import { refsOf } from './refs.ts';
import { snapshotTree, treeChanges } from './sandbox.ts';

requireTool('git');
requireTool('kubectl');

const CASES: HostileCase[] = [
  ...apiCases(),
  ...httpCases(),
  ...uploadCases(),
  ...bundleCases(),
  ...manifestCases(),
  ...cliCases(),
];
const FAMILIES: Family[] = [
  'api',
  'http',
  'upload',
  'bundle',
  'manifests',
  'deploy-time',
  'forge',
  'smithctl',
];

const witness = new Witness();
const started = performance.now();
let sandbox: TempDir;
let scratch: TempDir;
let smithd: SmithdHandle;
let context: CorpusContext;
let tried = 0;
const broken: string[] = [];

/** What the watched snapshot leaves out: the database (compared by its tables) and git's own files. */
const notWatched = (path: string) =>
  /^data\/smithd\.db(-wal|-shm|-journal)?$/.test(path) ||
  /^data\/repos\/[^/]+\/\.git$/.test(path) ||
  path === 'data/gitops.git';

beforeAll(async () => {
  sandbox = await tempDir('reliability-corpus-');
  scratch = await tempDir('reliability-corpus-inputs-');
  for (const dir of ['data', 'tmp', 'home', 'cwd']) await mkdir(join(sandbox.path, dir), { mode: 0o700 });
  smithd = await startSmithd({
    dataDir: join(sandbox.path, 'data'),
    cwd: join(sandbox.path, 'cwd'),
    env: { TMPDIR: join(sandbox.path, 'tmp'), HOME: join(sandbox.path, 'home') },
    args: ['--log-level', 'debug'],
  });
  witness.key(smithd.apiKey);
  const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
  try {
    for (const app of ['corpus', 'corpus-neighbour']) {
      await client.registerApp({ name: app, environments: ['staging', 'production'] });
      await publishInProcess(
        client,
        app,
        '1.0.0',
        versionManifests(app, '1.0.0', 0),
        metadataFor(app, '1.0.0', 'main', null),
      );
      await client.deploy(app, { version: '1.0.0', environment: 'staging' });
    }
  } finally {
    await client.close();
  }
  let counter = 0;
  context = {
    smithd,
    app: 'corpus',
    published: '1.0.0',
    cwd: join(sandbox.path, 'cwd'),
    scratch: scratch.path,
    cliEnv: {
      SMITH_URL: smithd.url,
      SMITH_API_KEY: smithd.apiKey,
      HOME: join(sandbox.path, 'home'),
      TMPDIR: join(sandbox.path, 'tmp'),
      // Node's compile cache of the CLIs themselves (it defaults to the temp dir) is not the
      // input's doing: it lives outside the watched sandbox.
      NODE_COMPILE_CACHE: join(scratch.path, 'node-compile-cache'),
      CI: 'true',
    },
    witness,
    nextVersion: () => `h-${++counter}`,
    escapeTargets: new Set(),
  };
});

afterAll(async () => {
  const output = smithd?.output() ?? '';
  await smithd?.stop();
  await sandbox?.remove();
  await scratch?.remove();
  await recordPart(
    {
      part: 'corpus',
      operations: tried,
      failuresInjected: tried,
      inputsTried: tried,
      lost: broken.length,
      seconds: (performance.now() - started) / 1000,
      notes: [
        `${tried} hostile inputs: ${FAMILIES.map((family) => `${CASES.filter((c) => c.family === family).length} ${family}`).join(', ')}`,
      ],
    },
    { outputs: { ...witness.outputs, smithd: output }, keys: [...witness.keys] },
  );
});

async function state() {
  return {
    tables: dumpTables(smithd.dataDir),
    tree: await snapshotTree(sandbox.path, notWatched),
    refs: await refsOf(smithd.gitopsRemote),
  };
}

/** The snapshot lines of the drafts added between two dumps: a folder and its bundle per new draft. */
function draftedBy(before: Record<string, unknown[]>, after: Record<string, unknown[]>): string[] {
  const added = (after.versions ?? []).slice((before.versions ?? []).length) as {
    app: string;
    id: string;
    state: string;
  }[];
  return added
    .filter((row) => row.state === 'draft')
    .flatMap(({ app, id }) => [
      `+ data/storage/drafts/${app}/${id} (dir)`,
      `+ data/storage/drafts/${app}/${id}/bundle.tar.gz (file)`,
    ]);
}

function describeOutcome(outcome: Outcome): string {
  return `${outcome.status ?? `exit ${outcome.exitCode}`} ${outcome.code ?? ''}: ${outcome.text.slice(0, 600)}`;
}

async function runCase(hostile: HostileCase): Promise<void> {
  const prepared = await hostile.prepare?.(context);
  const before = await state();
  const outcome = await hostile.attack(context, prepared);
  tried += 1;
  witness.saw(`answers-${hostile.family}`, outcome.text);
  const what = describeOutcome(outcome);
  if (hostile.expect.status !== undefined) expect(hostile.expect.status, what).toContain(outcome.status);
  if (hostile.expect.exit !== undefined) {
    expect(outcome.exitCode, what).not.toBe(70);
    expect(hostile.expect.exit, what).toContain(outcome.exitCode);
  }
  if (hostile.expect.code !== undefined && outcome.code !== undefined)
    expect([hostile.expect.code].flat(), what).toContain(outcome.code);
  if (outcome.status !== undefined && outcome.code !== undefined) expect(outcome.message, what).toBeTruthy();

  expect((await call(smithd, 'GET', '/healthz', { key: null })).status).toBe(200);
  let after = await state();
  const changes = () => {
    const drafts = hostile.allowsDraft ? draftedBy(before.tables, after.tables) : [];
    return treeChanges(before.tree, after.tree).filter((change) => !drafts.includes(change));
  };
  // A refused upload removes its temporary file as the request ends, which may be a moment later.
  for (let i = 0; i < 20 && changes().length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = await state();
  }
  expect(changes(), `files changed by: ${hostile.name}`).toEqual([]);
  expect(after.refs).toBe(before.refs);
  if (hostile.allowsDraft) {
    const { versions: versionsBefore = [], apps: appsBefore, ...restBefore } = before.tables;
    const { versions: versionsAfter = [], apps: appsAfter, ...restAfter } = after.tables;
    expect(restAfter).toEqual(restBefore);
    expect(versionsAfter.slice(0, versionsBefore.length)).toEqual(versionsBefore);
    for (const row of versionsAfter.slice(versionsBefore.length))
      expect(row).toMatchObject({ state: 'draft', published_at: null, files: null });
    // A draft bumps its app's revision (the key of its cached version list), and changes nothing else of it.
    const withoutRevision = (rows: unknown[] = []) =>
      rows.map((row) => ({ ...(row as Record<string, unknown>), revision: undefined }));
    expect(withoutRevision(appsAfter)).toEqual(withoutRevision(appsBefore));
  } else if (hostile.allowsFailedDeploy) {
    const { deployments: rowsBefore, ...restBefore } = before.tables;
    const { deployments: rowsAfter, ...restAfter } = after.tables;
    expect(restAfter).toEqual(restBefore);
    const added = (rowsAfter ?? []).slice((rowsBefore ?? []).length) as {
      status: string;
      commit: string | null;
    }[];
    expect((rowsAfter ?? []).slice(0, (rowsBefore ?? []).length)).toEqual(rowsBefore);
    for (const row of added) expect(row).toMatchObject({ status: 'failed', commit: null });
  } else {
    expect(after.tables, `database changed by: ${hostile.name}`).toEqual(before.tables);
  }
  for (const target of context.escapeTargets) expect(existsSync(target), `${target} exists`).toBe(false);
}

for (const family of FAMILIES) {
  describe(`hostile ${family} input`, () => {
    for (const hostile of CASES.filter((c) => c.family === family)) {
      it(`refuses ${hostile.name}`, async () => {
        try {
          await runCase(hostile);
        } catch (error) {
          broken.push(`${family}: ${hostile.name}`);
          throw error;
        }
      });
    }
  });
}

describe('the corpus as a whole', () => {
  it('tried at least 200 hostile inputs, and smithd served throughout', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    expect((await call(smithd, 'GET', '/readyz', { key: null })).status).toBe(200);
  });

  it('leaves no API key in smithd log, error answers or CLI output', () => {
    expect(witness.leaks({ smithd: smithd.output() })).toEqual([]);
  });
});
