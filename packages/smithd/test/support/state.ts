/**
 * What "nothing changed" means, measured: every row of every table, every file of the version
 * storage (with its sha256), and every ref of the GitOps remote.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';

export interface State {
  tables: Record<string, unknown[]>;
  storage: Record<string, string>;
  refs: string;
}

const TABLES = ['api_keys', 'apps', 'versions', 'deployments', 'idempotency_keys', 'policies', 'pins'];

export async function snapshot(dataDir: string, remote = join(dataDir, 'gitops.git')): Promise<State> {
  return {
    tables: readTables(dataDir),
    storage: await storageFiles(join(dataDir, 'storage')),
    refs: await refsOf(remote),
  };
}

export function readTables(dataDir: string, tables = TABLES): Record<string, unknown[]> {
  const db = new Database(join(dataDir, 'smithd.db'), { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`select * from ${table} order by rowid`).all()]),
    );
  } finally {
    db.close();
  }
}

async function storageFiles(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

export async function refsOf(remote: string): Promise<string> {
  const result = await execa('git', ['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: remote });
  return result.stdout;
}
