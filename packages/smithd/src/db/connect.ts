/**
 * Opens the database smithd runs on: SQLite (embedded default) in WAL mode with a busy timeout, or
 * PostgreSQL, whose driver is imported only when it is configured.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeploySmithError } from '@deploysmith/core';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import type { DatabaseLocation } from '../config/resolve.ts';
import type { Schema } from './schema.ts';

export interface Database {
  db: Kysely<Schema>;
  dialect: 'sqlite' | 'postgres';
  /** Answers a trivial query: readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.kind === 'postgres') return openPostgres(location.url);
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  mkdirSync(dirname(location.path), { recursive: true });
  let sqlite: import('better-sqlite3').Database;
  try {
    sqlite = new BetterSqlite3(location.path);
    sqlite.pragma('journal_mode = WAL');
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
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
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

async function openPostgres(url: string): Promise<Database> {
  const [{ default: pg }, { PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new DeploySmithError(
      'database_unavailable',
      `Cannot reach the PostgreSQL database: ${(error as Error).message}`,
      {
        hint: 'Check the database URL (host, port, user, password, database name) and that the server is running.',
        cause: error,
      },
    );
  }
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
