/**
 * What "nothing changed" means, measured on whichever backend the smithd runs on: every row of
 * every table (SQLite or PostgreSQL), every object of the version storage with its checksum (disk
 * files or S3 objects), and every ref of the GitOps remote.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SmithdHandle } from '@deploysmith/testkit/smithd';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { listObjects, moveObject } from './s3-objects.ts';

export type Backed = Pick<SmithdHandle, 'backend' | 'gitopsRemote'>;

export interface State {
  tables: Record<string, unknown[]>;
  storage: Record<string, string>;
  refs: string;
}

const TABLES = ['api_keys', 'apps', 'versions', 'deployments', 'idempotency_keys', 'policies', 'pins'];

export async function snapshot(handle: Backed): Promise<State> {
  return {
    tables: await readTables(handle),
    storage: await storedObjects(handle),
    refs: await refsOf(handle.gitopsRemote),
  };
}

export async function readTables(handle: Backed, tables = TABLES): Promise<Record<string, unknown[]>> {
  const { database } = handle.backend;
  if (database.kind === 'sqlite') {
    const db = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      return Object.fromEntries(
        tables.map((table) => [table, db.prepare(`select * from ${table} order by rowid`).all()]),
      );
    } finally {
      db.close();
    }
  }
  return withPostgres(database.url, async (client) => {
    const result: Record<string, unknown[]> = {};
    // No rowid: the whole row as text is a stable order.
    for (const table of tables)
      result[table] = (await client.query(`select * from ${table} t order by t::text`)).rows;
    return result;
  });
}

/** Runs one statement with `?` placeholders on the smithd's database (to stage a crash's leftovers). */
export async function execSql(handle: Backed, statement: string, ...params: unknown[]): Promise<void> {
  const { database } = handle.backend;
  if (database.kind === 'sqlite') {
    const db = new Database(database.path);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  let n = 0;
  const text = statement.replace(/\?/g, () => `$${++n}`);
  await withPostgres(database.url, (client) => client.query(text, params));
}

/** Every stored object by key (relative to the storage root or prefix) → a checksum of its bytes. */
export async function storedObjects(handle: Backed): Promise<Record<string, string>> {
  const { storage } = handle.backend;
  const objects: Record<string, string> = {};
  if (storage.kind === 's3') {
    for (const object of await listObjects(storage, ''))
      objects[object.key] = `${object.etag} ${object.size}`;
  } else {
    const entries = await readdir(storage.path, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      objects[relative(storage.path, path).split('\\').join('/')] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    }
  }
  return Object.fromEntries(Object.entries(objects).sort(([a], [b]) => a.localeCompare(b)));
}

/** Keys of the stored objects under `folder` (`published/`, `drafts/`), sorted. */
export async function storedKeys(handle: Backed, folder: string): Promise<string[]> {
  return Object.keys(await storedObjects(handle)).filter((key) => key.startsWith(folder));
}

/** Moves a stored object (to hide it from smithd, and back). */
export async function moveStored(handle: Backed, from: string, to: string): Promise<void> {
  const { storage } = handle.backend;
  if (storage.kind === 's3') await moveObject(storage, from, to);
  else await rename(join(storage.path, ...from.split('/')), join(storage.path, ...to.split('/')));
}

export async function refsOf(remote: string): Promise<string> {
  const result = await execa('git', ['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: remote });
  return result.stdout;
}

async function withPostgres<T>(url: string, work: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
