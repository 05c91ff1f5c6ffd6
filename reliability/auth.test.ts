/**
 * Auth: every operation smithd's own `/openapi.json` describes, called without a key, with a
 * revoked key, with keys that are wrong or almost right, and with the right key in the wrong
 * place. Each must answer 401 (except the public health routes), say so without echoing the key,
 * and change nothing. The route list is read from the running server, so a new route is covered
 * the day it is added.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../packages/testkit/src/bin.ts';
import { publishVersion, type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { dumpTables } from './database.ts';
import { type CallOptions, call } from './http.ts';
import { Witness } from './leaks.ts';
import { recordPart } from './ledger.ts';
import { metadataFor, versionManifests } from './publishing.ts';
import { snapshotTree, type Tree } from './sandbox.ts';

requireTool('git');

const APP = 'auth-app';
const VERSION = 'v1';
const PUBLIC = ['GET /healthz', 'GET /readyz'];

const witness = new Witness();
const started = performance.now();
let smithd: SmithdHandle;
let revokedKey: string;
let operations: Operation[] = [];
let tried = 0;
const lost: string[] = [];

interface Operation {
  method: string;
  /** The path with its parameters filled in. */
  path: string;
  /** `METHOD /template`, as /openapi.json names it. */
  name: string;
  secured: boolean;
}

/** A request body that would be accepted with the right key, so a missing auth check shows as a change. */
const BODIES: Record<string, unknown> = {
  'POST /v1/apps': { name: 'auth-new', environments: ['staging'] },
  'POST /v1/apps/{app}/deployments': { version: VERSION, environment: 'staging' },
  'PUT /v1/apps/{app}/policies/{env}': { branch: 'main' },
  'POST /v1/apps/{app}/versions/{id}/publish': {},
  'POST /v1/apps/{app}/versions': {
    id: 'auth-v2',
    metadata: metadataFor(APP, 'auth-v2', 'main', null),
    sha256: 'a'.repeat(64),
    size: 100,
  },
};

/** Ways to present a key that must all be refused, each as the request options that carry it. */
function badCredentials(adminKey: string): [string, CallOptions][] {
  const lastChanged = adminKey.slice(0, -1) + (adminKey.endsWith('A') ? 'B' : 'A');
  return [
    ['no key', { key: null }],
    ['an empty bearer token', { key: null, headers: { authorization: 'Bearer ' } }],
    ['a random key of the right shape', { key: `dsk_${randomBytes(32).toString('base64url')}` }],
    ['the admin key with its last character changed', { key: lastChanged }],
    ['the admin key in upper case', { key: adminKey.toUpperCase() }],
    ['the admin key one character short', { key: adminKey.slice(0, -1) }],
    ['the admin key with one character more', { key: `${adminKey}A` }],
    ['the admin key without its prefix', { key: adminKey.slice(4) }],
    ['a revoked key', { key: revokedKey }],
    ['the admin key as Basic credentials', { key: null, headers: { authorization: `Basic ${adminKey}` } }],
    ['the admin key in an X-Api-Key header', { key: null, headers: { 'x-api-key': adminKey } }],
    ['the admin key in a cookie', { key: null, headers: { cookie: `key=${adminKey}` } }],
  ];
}

async function operationsFromOpenApi(): Promise<Operation[]> {
  const openapi = await call(smithd, 'GET', '/openapi.json');
  expect(openapi.status).toBe(200);
  const paths = openapi.body.paths as Record<string, Record<string, { security?: unknown[] }>>;
  const globalSecurity = (openapi.body.security as unknown[] | undefined) ?? [];
  return Object.entries(paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      name: `${method.toUpperCase()} ${template}`,
      path: template.replace('{app}', APP).replace('{id}', VERSION).replace('{env}', 'staging'),
      secured: (operation.security ?? globalSecurity).length > 0,
    })),
  );
}

async function state(): Promise<{ tables: Record<string, unknown[]>; files: Tree }> {
  return {
    tables: dumpTables(smithd.dataDir),
    files: await snapshotTree(smithd.dataDir, (path) => path.startsWith('smithd.db')),
  };
}

beforeAll(async () => {
  smithd = await startSmithd();
  witness.key(smithd.apiKey);
  await publishVersion(smithd, APP, VERSION, versionManifests(APP, VERSION, 0));
  const created = await runCli('smithd', ['keys', 'create', '--name', 'soon-revoked', ...smithd.cliArgs]);
  expect(created.exitCode, created.stderr).toBe(0);
  revokedKey = witness.key(created.stdout.trim());
  const revoked = await runCli('smithd', ['keys', 'revoke', 'soon-revoked', ...smithd.cliArgs]);
  expect(revoked.exitCode, revoked.stderr).toBe(0);
  witness.saw('smithd keys', created.stderr + revoked.stdout + revoked.stderr);
  operations = await operationsFromOpenApi();
});

afterAll(async () => {
  const output = smithd?.output() ?? '';
  await smithd?.stop();
  await recordPart(
    {
      part: 'auth',
      operations: tried + operations.length,
      failuresInjected: 0,
      inputsTried: tried,
      lost: lost.length,
      seconds: (performance.now() - started) / 1000,
      notes: [
        `${operations.length} operations from /openapi.json × ${badCredentials(smithd?.apiKey ?? '').length} bad credentials: ${tried} requests, every secured one 401`,
      ],
    },
    { outputs: { ...witness.outputs, smithd: output }, keys: [...witness.keys] },
  );
});

describe('every route of /openapi.json without a valid key', () => {
  it('describes every operation as needing a key except health and readiness', () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.filter((op) => !op.secured).map((op) => op.name)).toEqual(PUBLIC);
  });

  it('answers 401 unauthorized everywhere, echoes no key, and changes nothing', async () => {
    const before = await state();
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.secured)) {
      for (const [what, credentials] of badCredentials(smithd.apiKey)) {
        const answer = await call(smithd, op.method, op.path, { ...credentials, body: BODIES[op.name] });
        tried++;
        witness.saw('answers', answer.text);
        if (answer.status !== 401 || answer.body?.error?.code !== 'unauthorized')
          wrong.push(`${op.name} with ${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    const after = await state();
    if (JSON.stringify(after) !== JSON.stringify(before)) lost.push('a refused request changed smithd state');
    expect(after.tables).toEqual(before.tables);
    expect(after.files).toEqual(before.files);
  });

  it('keeps the API description itself behind a key', async () => {
    expect((await call(smithd, 'GET', '/openapi.json', { key: null })).status).toBe(401);
    expect((await call(smithd, 'GET', '/openapi.json', { key: revokedKey })).status).toBe(401);
  });

  it('answers the public routes without a key', async () => {
    for (const op of operations.filter((o) => !o.secured)) {
      expect((await call(smithd, op.method, op.path, { key: null })).status, op.name).toBe(200);
    }
  });

  it('lets the admin key through on every route (so the 401s above are about the key)', async () => {
    const refused: string[] = [];
    // Deletes last: they would take away what the other operations read.
    const ordered = [...operations].sort(
      (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
    );
    for (const op of ordered.filter((o) => o.secured)) {
      const answer = await call(smithd, op.method, op.path, { body: BODIES[op.name] });
      witness.saw('answers', answer.text);
      if (answer.status === 401 || answer.status === 403) refused.push(`${op.name}: ${answer.status}`);
    }
    expect(refused).toEqual([]);
  });

  it('leaves no API key in smithd log or any answer', () => {
    expect(witness.leaks({ smithd: smithd.output() })).toEqual([]);
  });
});
