/**
 * smithd's SQLite database seen from outside: every table dumped (to prove a request changed
 * nothing), and another process holding an EXCLUSIVE transaction for a while (the "database
 * locked" fault). Uses Node's built-in `node:sqlite`, so the suite needs no native module of its own.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export function databasePath(dataDir: string): string {
  return join(dataDir, 'smithd.db');
}

/** Every row of every table (schema from sqlite_master), ordered by rowid; `skip` leaves tables out. */
export function dumpTables(dataDir: string, skip: string[] = []): Record<string, unknown[]> {
  const db = new DatabaseSync(databasePath(dataDir), { readOnly: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all()
      .map((row) => String(row.name))
      .filter((name) => !skip.includes(name));
    return Object.fromEntries(
      tables.map((table) => [
        table,
        db
          .prepare(`select * from "${table}" order by rowid`)
          .all()
          .map((row) => ({ ...row })),
      ]),
    );
  } finally {
    db.close();
  }
}

/** Runs one read-only query. */
export function query<T = Record<string, unknown>>(
  dataDir: string,
  sql: string,
  ...params: (string | number)[]
): T[] {
  const db = new DatabaseSync(databasePath(dataDir), { readOnly: true });
  try {
    db.exec('pragma busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const HOLDER = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('pragma busy_timeout = 10000');
db.exec('begin exclusive');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('commit'); db.close(); process.stdout.write('released\\n'); }, Number(process.argv[2]));
`;

export interface HeldLock {
  /** Resolves when the holder committed and exited. */
  released: Promise<void>;
}

/** Starts another process that takes an EXCLUSIVE transaction on the database and holds it `ms`. */
export async function holdExclusiveLock(dataDir: string, ms: number): Promise<HeldLock> {
  const child = spawn(process.execPath, ['-e', HOLDER, databasePath(dataDir), String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code} before locking`)));
  });
  return { released };
}
