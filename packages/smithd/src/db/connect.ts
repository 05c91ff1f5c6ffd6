/**
 * Opens the database smithd runs on: SQLite (embedded default) in WAL mode with a busy timeout, or
 * PostgreSQL (`postgres.ts`), whose driver is imported only when it is configured.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import type { DatabaseLocation } from '../config/resolve.ts';
import { type CommitWatch, watchCommits } from './commit-watch.ts';
import type { Schema } from './schema.ts';

export interface Database {
  db: Kysely<Schema>;
  dialect: 'sqlite' | 'postgres';
  /** How messages name the database: its file, or `host:port/name` (never a password). */
  where: string;
  /** Answers a trivial query: readiness. */
  ping(): Promise<void>;
  /**
   * PostgreSQL: a connection of its own, outside the query pool, for a session advisory lock that
   * is held while a GitOps repo is written.
   */
  lockSession?(): Promise<LockSession>;
  close(): Promise<void>;
}

export interface LockSession {
  query(text: string, parameters: unknown[]): Promise<void>;
  release(): void;
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.kind === 'postgres') {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(location.url);
  }
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  mkdirSync(dirname(location.path), { recursive: true });
  let sqlite: import('better-sqlite3').Database;
  let journalMode: unknown;
  try {
    sqlite = new BetterSqlite3(location.path);
    journalMode = sqlite.pragma('journal_mode = WAL', { simple: true });
    // Another smithd command (keys, history) may hold the write lock for a moment.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    throw new DeploySmithError(
      'database_unavailable',
      `Cannot open the SQLite database ${location.path}: ${(error as Error).message}`,
      {
        hint: 'Check that the data directory is writable and not used by a different smithd version.',
        cause: error,
      },
    );
  }
  const statements = reusingStatements(sqlite);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: statements }) });
  // No watch, no kept answers, when SQLite could not switch to WAL (a file system without shared memory).
  const commits = journalMode === 'wal' ? watchCommits(location.path) : undefined;
  directReaders.set(db, keptAnswers(sqlite, statements, commits));
  return {
    db,
    dialect: 'sqlite',
    where: location.path,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      commits?.close();
      await db.destroy();
    },
  };
}

/**
 * Answers of the lookups every request makes (the API key, the app), kept while nothing is
 * committed to the database by any process: a revoked key is refused by the next request all the
 * same, and a kept answer costs one small read instead of a read transaction (versions list
 * throughput 12.5k → 15.5k requests/s). Rows are frozen, since callers share them.
 */
function keptAnswers(
  sqlite: import('better-sqlite3').Database,
  statements: SqliteDatabase,
  commits: CommitWatch | undefined,
  capacity = 1024,
): DirectReader {
  const answers = new Map<string, unknown[]>();
  return (text, parameters) => {
    // Inside another flow's transaction the statement would see its uncommitted writes: Kysely's
    // path waits for the transaction to end instead.
    if (sqlite.inTransaction) return undefined;
    const run = () => statements.prepare(text).all(parameters) as unknown[];
    if (commits === undefined) return run();
    if (!commits.unchanged()) answers.clear();
    const key = `${text}\0${JSON.stringify(parameters)}`;
    let rows = answers.get(key);
    if (rows === undefined) {
      rows = Object.freeze(run().map((row) => Object.freeze(row))) as unknown[];
      if (answers.size >= capacity) answers.clear();
      answers.set(key, rows);
    }
    return rows;
  };
}

type DirectReader = (text: string, parameters: readonly unknown[]) => unknown[] | undefined;

const directReaders = new WeakMap<Kysely<Schema>, DirectReader>();

/**
 * SQLite only, and only on the database itself (not a transaction): runs a read statement at once,
 * without Kysely's promise and connection lock around a call that is synchronous anyway; undefined
 * when that is not possible now. For the lookups every request makes (`precompiled.ts`).
 */
export function directReader(db: Kysely<Schema>): DirectReader | undefined {
  return directReaders.get(db);
}

/**
 * Kysely prepares every query anew; preparing costs more than running the small indexed queries
 * smithd makes, so prepared statements are kept (a bounded LRU keyed by the SQL text). Safe because
 * the SQLite dialect runs one query at a time on its single connection.
 */
function reusingStatements(sqlite: import('better-sqlite3').Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        statements.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}
