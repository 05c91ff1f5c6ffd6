/**
 * API keys: every route but health and readiness needs one; a missing, wrong or revoked key gets
 * 401; keys are created once, shown once, stored hashed, and never logged.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@deploysmith/testkit/bin';
import { type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { describeOnly } from './support/backend.ts';
import { readTables } from './support/state.ts';

const ROUTES: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown][] = [
  ['POST', '/v1/apps', { name: 'other', environments: ['staging'] }],
  ['GET', '/v1/apps'],
  ['GET', '/v1/apps/hello'],
  [
    'POST',
    '/v1/apps/hello/versions',
    {
      id: '1.0.0',
      metadata: {
        gitSha: 'abcdef0',
        branch: null,
        tag: null,
        committer: null,
        buildNumber: null,
        pipelineUrl: null,
        createdAt: '2026-01-01T00:00:00Z',
      },
      sha256: 'a'.repeat(64),
      size: 10,
    },
  ],
  ['POST', '/v1/apps/hello/versions/1.0.0/publish', {}],
  ['GET', '/v1/apps/hello/versions'],
  ['GET', '/v1/apps/hello/versions/1.0.0'],
  ['POST', '/v1/apps/hello/deployments', { version: '1.0.0', environment: 'staging' }],
  ['GET', '/v1/apps/hello/deployments'],
  ['DELETE', '/v1/apps/hello/pins/staging'],
  ['GET', '/v1/apps/hello/policies'],
  ['GET', '/v1/apps/hello/policies/staging'],
  ['PUT', '/v1/apps/hello/policies/staging', { branch: 'main' }],
  ['DELETE', '/v1/apps/hello/policies/staging'],
  ['GET', '/openapi.json'],
];

let smithd: SmithdHandle;
let revokedKey: string;

beforeAll(async () => {
  smithd = await startSmithd();
  const created = await runCli('smithd', ['keys', 'create', '--name', 'leaver', ...smithd.cliArgs, '--json']);
  expect(created.exitCode).toBe(0);
  revokedKey = JSON.parse(created.stdout).key;
  // Twice, so that smithd answers the second from the key lookup it keeps.
  for (let i = 0; i < 2; i++)
    expect((await call(smithd, 'GET', '/v1/apps', { key: revokedKey })).status).toBe(200);
  const revoked = await runCli('smithd', ['keys', 'revoke', 'leaver', ...smithd.cliArgs]);
  expect(revoked.exitCode).toBe(0);
  // Revoked in another process: refused by the very next request.
  expect((await call(smithd, 'GET', '/v1/apps', { key: revokedKey })).status).toBe(401);
  const registered = await call(smithd, 'POST', '/v1/apps', {
    body: { name: 'hello', environments: ['staging'] },
  });
  expect(registered.status).toBe(201);
});

afterAll(async () => {
  await smithd?.stop();
});

describe('authentication', () => {
  it('covers every route of the API description in this test', async () => {
    const openapi = await call(smithd, 'GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    const documented = Object.entries(openapi.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const tested = ROUTES.map(([method, path]) =>
      `${method} ${path}`
        .replace('/hello', '/{app}')
        .replace('/1.0.0', '/{id}')
        .replace(/\/staging$/, '/{env}'),
    );
    const publicRoutes = ['GET /healthz', 'GET /readyz'];
    expect(documented.filter((route) => !publicRoutes.includes(route)).sort()).toEqual(
      tested.filter((route) => route !== 'GET /openapi.json').sort(),
    );
  });

  for (const [method, path, body] of ROUTES) {
    it(`answers 401 to ${method} ${path} without a key, with a wrong key and with a revoked key`, async () => {
      const before = await readTables(smithd);
      for (const key of [null, `dsk_${'x'.repeat(43)}`, 'not-a-key', revokedKey]) {
        const answer = await call(smithd, method, path, { key, body });
        expect(answer.status, `${method} ${path} with ${key === null ? 'no key' : key}`).toBe(401);
        expect(answer.body.error.code).toBe('unauthorized');
        expect(answer.body.error.hint).toMatch(/smithd keys create/);
      }
      expect(await readTables(smithd)).toEqual(before);
    });
  }

  it('answers health and readiness without a key', async () => {
    expect(await call(smithd, 'GET', '/healthz', { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await call(smithd, 'GET', '/readyz', { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ready' },
    });
  });

  it('accepts a new key at once and records its name as who deployed', async () => {
    const created = await runCli('smithd', ['keys', 'create', '--name', 'ci', ...smithd.cliArgs]);
    expect(created.exitCode).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown only this once/);
    expect((await call(smithd, 'GET', '/v1/apps', { key })).status).toBe(200);
    // Only the hash is stored.
    const rows = (await readTables(smithd, ['api_keys'])).api_keys as {
      name: string;
      hash: string;
      prefix: string;
    }[];
    const row = rows.find((r) => r.name === 'ci');
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(key.startsWith(row?.prefix ?? '?')).toBe(true);
  });

  it('refuses a second active key with the same name', async () => {
    const again = await runCli('smithd', ['keys', 'create', '--name', 'ci', ...smithd.cliArgs]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('lists keys without the keys themselves', async () => {
    const listed = await runCli('smithd', ['keys', 'list', ...smithd.cliArgs, '--json']);
    expect(listed.exitCode).toBe(0);
    const items = JSON.parse(listed.stdout).items as { name: string; revokedAt: string | null }[];
    expect(items.map((item) => item.name).sort()).toEqual(['admin', 'ci', 'leaver']);
    expect(items.find((item) => item.name === 'leaver')?.revokedAt).not.toBeNull();
    expect(listed.stdout).not.toContain(smithd.apiKey);
    expect(listed.stdout).not.toContain(revokedKey);
  });

  it('says when there is no key to revoke', async () => {
    const revoke = await runCli('smithd', ['keys', 'revoke', 'nobody', ...smithd.cliArgs]);
    expect(revoke.exitCode).not.toBe(0);
    expect(revoke.stderr).toMatch(/No active API key/);
  });
});

describe('the first start', () => {
  it('writes the admin key to admin.key, readable only by its owner, and prints only the path', async () => {
    const file = join(smithd.dataDir, 'admin.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(smithd.apiKey);
    expect(smithd.output()).toContain(file);
    expect(smithd.output()).not.toContain(smithd.apiKey);
  });

  it('does not create another admin key on the next start', async () => {
    await smithd.restart();
    const rows = (await readTables(smithd, ['api_keys'])).api_keys as { name: string }[];
    expect(rows.filter((row) => row.name.startsWith('admin'))).toHaveLength(1);
    expect((await readFile(join(smithd.dataDir, 'admin.key'), 'utf8')).trim()).toBe(smithd.apiKey);
  });
});

describe('logging', () => {
  it('never writes an API key to the log, even at trace level', async () => {
    const verbose = await startSmithd({ args: ['--log-level', 'trace'] });
    try {
      await call(verbose, 'GET', '/v1/apps');
      await call(verbose, 'GET', '/v1/apps', { key: `dsk_${'y'.repeat(43)}` });
      await call(verbose, 'POST', '/v1/apps', { body: { name: 'logged', environments: ['staging'] } });
      const log = verbose.output();
      expect(log).toContain('/v1/apps');
      expect(log).not.toContain(verbose.apiKey);
      expect(log).not.toContain('y'.repeat(43));
    } finally {
      await verbose.stop();
    }
  });
});

// Only the disk storage's upload URLs lead to smithd; S3 uploads never pass through it.
describeOnly('sqlite-disk', 'logging of uploads', () => {
  it('never writes an upload signature to the log, even at trace level', async () => {
    const verbose = await startSmithd({ args: ['--log-level', 'trace'] });
    try {
      await call(verbose, 'POST', '/v1/apps', { body: { name: 'logged', environments: ['staging'] } });
      const draft = await call(verbose, 'POST', '/v1/apps/logged/versions', {
        body: {
          id: '1',
          metadata: {
            gitSha: 'abcdef0',
            branch: null,
            tag: null,
            committer: null,
            buildNumber: null,
            pipelineUrl: null,
            createdAt: '2026-01-01T00:00:00Z',
          },
          sha256: 'b'.repeat(64),
          size: 3,
        },
      });
      const url = new URL(draft.body.upload.url);
      await call(verbose, 'PUT', `${url.pathname}${url.search}`, {
        key: null,
        raw: 'abc',
        headers: { 'content-type': 'application/gzip' },
      });
      const signature = url.searchParams.get('signature') ?? '?';
      const log = verbose.output();
      expect(log).toContain('/uploads/drafts/logged/1/bundle.tar.gz');
      expect(log).not.toContain(signature);
      expect(log).not.toContain(verbose.apiKey);
    } finally {
      await verbose.stop();
    }
  });
});
