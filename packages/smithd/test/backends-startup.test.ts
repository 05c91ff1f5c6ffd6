/**
 * Starting on PostgreSQL + S3: replicas that start at the same moment on a new database migrate it
 * once and create one admin key; `smithd migrate` is safe to run concurrently too; a store without
 * lifecycle rules gets a warning, not a refusal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { embeddedBackend } from '@deploysmith/testkit/backends';
import { runCli } from '@deploysmith/testkit/bin';
import { freePort } from '@deploysmith/testkit/ports';
import { type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.ts';
import { type OwnServers, startOwnServers } from './support/own-servers.ts';
import { readTables } from './support/state.ts';

requireTool('git');

let servers: OwnServers;
const started: SmithdHandle[] = [];

beforeAll(async () => {
  servers = await startOwnServers();
});

afterAll(async () => {
  await Promise.all(started.map((smithd) => smithd.stop()));
  await servers?.stop();
});

describe('start-up on a new PostgreSQL database', () => {
  it('migrates it once when three smithd start at the same moment, and creates one admin key', async () => {
    const backend = await servers.backend('together');
    const replicas = await Promise.all([1, 2, 3].map(() => startSmithd({ backend })));
    started.push(...replicas);
    const migrations = (await readTables(replicas[0] as SmithdHandle, ['kysely_migration']))
      .kysely_migration as {
      name: string;
    }[];
    expect(migrations.map((m) => m.name).sort()).toEqual(['0001_init', '0002_app_revision']);
    const keys = replicas.map((smithd) => smithd.apiKey).filter((key) => key !== '');
    expect(keys).toHaveLength(1);
    const rows = (await readTables(replicas[0] as SmithdHandle, ['api_keys'])).api_keys;
    expect(rows).toHaveLength(1);
    for (const smithd of replicas) {
      expect((await call(smithd, 'GET', '/readyz', { key: null })).status).toBe(200);
      expect((await call({ url: smithd.url, apiKey: keys[0] as string }, 'GET', '/v1/apps')).status).toBe(
        200,
      );
    }
  });

  it('logs a warning and serves on when the store does not support lifecycle rules', async () => {
    const [smithd] = started;
    // s3rver answers NotImplemented to lifecycle requests; the janitor runs right after start-up.
    await expect
      .poll(() => smithd?.output() ?? '', { timeout: 15_000 })
      .toMatch(/no lifecycle rule expires drafts: .*does not support lifecycle rules \(NotImplemented\)/);
  });
});

describe('smithd migrate', () => {
  it('applies each migration once when run three times at once, then reports the database up to date', async () => {
    const { database } = await servers.backend('migrate_cli');
    const url = database.kind === 'postgres' ? database.url : '';
    const runs = await Promise.all(
      [1, 2, 3].map(() => runCli('smithd', ['migrate', '--json'], { env: { SMITHD_DATABASE_URL: url } })),
    );
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);
    const applied = runs.flatMap((run) => JSON.parse(run.stdout).applied as string[]);
    expect(applied.sort()).toEqual(['0001_init', '0002_app_revision']);
    const again = await runCli('smithd', ['migrate', '--database', url]);
    expect(again.stdout.trim()).toBe('The database is up to date.');
  });

  it('names the database it cannot reach, without its password, and exits 3', async () => {
    const run = await runCli('smithd', [
      'migrate',
      '--database',
      `postgres://smithd:hunter2@127.0.0.1:${await freePort()}/nowhere`,
    ]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/PostgreSQL database 127\.0\.0\.1:\d+\/nowhere/);
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('lazy drivers', () => {
  it('loads the AWS SDK and pg only when S3 and PostgreSQL are configured', async () => {
    await using dir = await tempDir('smithd-modules-');
    const hook = new URL('./support/module-log.mjs', import.meta.url).href;
    const loaded = async (name: string, backend: Parameters<typeof startSmithd>[0]) => {
      const log = join(dir.path, `${name}.log`);
      const smithd = await startSmithd({
        ...backend,
        env: { NODE_OPTIONS: `--import ${hook}`, DEPLOYSMITH_MODULE_LOG: log },
      });
      try {
        return await readFile(log, 'utf8');
      } finally {
        await smithd.stop();
      }
    };
    const embeddedDir = join(dir.path, 'embedded');
    const embedded = await loaded('embedded', {
      dataDir: embeddedDir,
      backend: embeddedBackend(embeddedDir),
    });
    expect(embedded).toContain('better-sqlite3');
    expect(embedded).not.toContain('@aws-sdk');
    expect(embedded).not.toMatch(/node_modules\/pg\//);
    const production = await loaded('production', { backend: await servers.backend('modules') });
    expect(production).toContain('@aws-sdk/client-s3');
    expect(production).toMatch(/node_modules\/pg\//);
    expect(production).not.toContain('better-sqlite3');
  });
});
