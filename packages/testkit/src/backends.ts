/**
 * Which database and storage a test smithd runs on. `DEPLOYSMITH_TEST_BACKEND` chooses for a whole
 * suite: `sqlite-disk` (default: embedded SQLite and disk storage in the smithd's data dir) or
 * `postgres-s3` (a fresh database on a shared PostgreSQL server and a fresh key prefix in a shared
 * s3rver bucket, both started once per vitest run by `postgres-s3-setup.ts`).
 */
import { join } from 'node:path';
import { createDatabase } from './postgres.ts';

export type BackendName = 'sqlite-disk' | 'postgres-s3';

export type DatabaseUnderTest = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface S3UnderTest {
  kind: 's3';
  endpoint: string;
  bucket: string;
  region: string;
  /** Key prefix of this smithd's objects (no slashes at the ends). */
  prefix: string;
  /** Credentials for the standard AWS environment variables. */
  env: Record<string, string>;
  /** `--storage` for smithd. */
  url: string;
}

export type StorageUnderTest = { kind: 'file'; path: string } | S3UnderTest;

export interface BackendUnderTest {
  name: BackendName;
  database: DatabaseUnderTest;
  storage: StorageUnderTest;
  /** Flags pointing smithd (and its admin commands) at them; none for the embedded defaults. */
  args: string[];
  /** Environment smithd needs for them (AWS credentials). */
  env: Record<string, string>;
}

/** Set by the global setup (main process) for the workers: where the shared servers are. */
export const SHARED_SERVERS_ENV = 'DEPLOYSMITH_TEST_SHARED_SERVERS';

export interface SharedServers {
  postgresUrl: string;
  s3: { endpoint: string; bucket: string; region: string; env: Record<string, string> };
}

/** The suite's backend, from `DEPLOYSMITH_TEST_BACKEND`; read when tests are collected. */
export function testBackend(): BackendName {
  const value = process.env.DEPLOYSMITH_TEST_BACKEND ?? 'sqlite-disk';
  if (value !== 'sqlite-disk' && value !== 'postgres-s3') {
    throw new Error(`DEPLOYSMITH_TEST_BACKEND must be sqlite-disk or postgres-s3, not ${value}`);
  }
  return value;
}

/** The embedded defaults of a smithd whose data dir is `dataDir`. */
export function embeddedBackend(dataDir: string): BackendUnderTest {
  return {
    name: 'sqlite-disk',
    database: { kind: 'sqlite', path: join(dataDir, 'smithd.db') },
    storage: { kind: 'file', path: join(dataDir, 'storage') },
    args: [],
    env: {},
  };
}

/** A smithd on this PostgreSQL database and this S3 bucket prefix. */
export function postgresS3Backend(
  databaseUrl: string,
  s3: SharedServers['s3'],
  prefix: string,
): BackendUnderTest {
  const url = `s3://${s3.bucket}/${prefix}?region=${s3.region}&endpoint=${encodeURIComponent(s3.endpoint)}`;
  return {
    name: 'postgres-s3',
    database: { kind: 'postgres', url: databaseUrl },
    storage: { kind: 's3', ...s3, prefix, url },
    args: ['--database', databaseUrl, '--storage', url],
    env: s3.env,
  };
}

let allocated = 0;

/** A new, empty backend of the suite's kind for a smithd whose data dir is `dataDir`. */
export async function allocateBackend(dataDir: string): Promise<BackendUnderTest> {
  if (testBackend() === 'sqlite-disk') return embeddedBackend(dataDir);
  const shared = process.env[SHARED_SERVERS_ENV];
  if (shared === undefined) {
    throw new Error(
      `DEPLOYSMITH_TEST_BACKEND=postgres-s3 needs the shared servers of packages/testkit/src/postgres-s3-setup.ts; run the e2e-postgres-s3 vitest project (it sets both).`,
    );
  }
  const servers = JSON.parse(shared) as SharedServers;
  allocated += 1;
  const name = `t${process.pid}_${allocated}`;
  const databaseUrl = await createDatabase(servers.postgresUrl, `smithd_${name}`);
  return postgresS3Backend(databaseUrl, servers.s3, name.replace('_', '-'));
}
