/**
 * PostgreSQL for smithd: a pg pool behind Kysely, guarded so that losing the server mid-request is
 * a `database_unavailable` error (503) instead of a crash or a bare 500, and a second small pool for
 * the advisory locks held while a GitOps repo is written. pg is imported only when configured.
 *
 * Recovery needs no restart: pg-pool drops a client whose connection broke (we release it as
 * broken), and the next request connects afresh.
 */
import { DeploySmithError } from '@deploysmith/core';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from 'kysely';
import type { Database, LockSession } from './connect.ts';
import type { Schema } from './schema.ts';

/** Queries run on at most this many connections per smithd. */
const POOL_SIZE = 10;
/** A request waits this long for a connection (a new one, or a free one from a busy pool). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Longest a query may wait for its answer (the repo locks, which wait for other replicas, excepted). */
const QUERY_TIMEOUT_MS = 60_000;

export async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const where = describePostgres(url);
  const common = {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'smithd',
  };
  // A server that stops answering without closing the connection (a network partition) fails the
  // request after a minute instead of holding it for ever; no smithd query runs anywhere near that.
  const pool = new pg.Pool({ ...common, max: POOL_SIZE, query_timeout: QUERY_TIMEOUT_MS });
  // One lock connection per repo being written at a time (the in-process queue lets only one deploy
  // per repo wait for the lock), so it never takes a connection the deploy's own queries need.
  const lockPool = new pg.Pool({ ...common, max: 100, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away emits 'error'; unhandled, it would end the process.
  const ignore = () => undefined;
  pool.on('error', ignore);
  lockPool.on('error', ignore);

  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: guardPool(pool, where) }) });
  const close = async () => {
    await db.destroy();
    await lockPool.end();
  };
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await close();
    const cause = error instanceof DeploySmithError ? (error.cause as Error | undefined) : (error as Error);
    throw new DeploySmithError(
      'database_unavailable',
      `Cannot reach the PostgreSQL database ${where}: ${cause?.message ?? (error as Error).message}`,
      {
        hint: 'Check the database URL (host, port, user, password, database name) and that the server is running.',
        cause: error,
      },
    );
  }
  return {
    db,
    dialect: 'postgres',
    where,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    lockSession: async (): Promise<LockSession> => {
      const client = guardClient(await connectOrExplain(lockPool, where), where);
      return {
        query: async (text, parameters) => {
          await client.query(text, parameters);
        },
        release: () => client.release(),
      };
    },
    close,
  };
}

/** `host:port/database` of a PostgreSQL URL: never the user's password. */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '') || parsed.username || 'postgres';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`;
  } catch {
    return 'from the configured URL';
  }
}

type PgPool = import('pg').Pool;
type PgClient = import('pg').PoolClient;

function guardPool(pool: PgPool, where: string): PostgresPool {
  const guarded = new WeakMap<PgClient, PostgresPoolClient>();
  return {
    options: pool.options,
    async connect() {
      const client = await connectOrExplain(pool, where);
      let wrapper = guarded.get(client);
      if (wrapper === undefined) {
        wrapper = guardClient(client, where);
        guarded.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

async function connectOrExplain(pool: PgPool, where: string): Promise<PgClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw unavailable(where, error);
  }
}

/**
 * A pooled client whose connection-level failures become `database_unavailable`; a client that saw
 * one is released as broken so the pool replaces it. Errors of the SQL itself pass unchanged.
 */
function guardClient(client: PgClient, where: string): PostgresPoolClient & { release(): void } {
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a connection lost between two queries would emit an
  // unhandled 'error' and end the process.
  client.on('error', (error: Error) => {
    broken = error;
  });
  const query = (text: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
    if (typeof text !== 'string') return client.query(text as never);
    return client.query(text, parameters as unknown[]).catch((error: unknown) => {
      if (!isConnectionFailure(error)) throw error;
      broken = error as Error;
      throw unavailable(where, error);
    });
  };
  return {
    query: query as PostgresPoolClient['query'],
    release: () => {
      const error = broken;
      broken = undefined;
      client.release(error);
    },
  };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The server cannot be talked to (network, shutdown, overload), as opposed to a statement it
 * refused: SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (shutdown), or a
 * socket error, or pg's own messages for a dropped connection.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof DeploySmithError) return error.code === 'database_unavailable';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code))
      return code.startsWith('08') || code.startsWith('53') || code.startsWith('57P');
  }
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Query read timeout|Client was closed|not queryable/i.test(
    error.message,
  );
}

function unavailable(where: string, error: unknown): DeploySmithError {
  if (error instanceof DeploySmithError) return error;
  if (/timeout exceeded when trying to connect/.test((error as Error).message)) {
    return new DeploySmithError(
      'database_unavailable',
      `No connection to the PostgreSQL database ${where} within ${CONNECT_TIMEOUT_MS / 1000} s: the server is unreachable or every connection is busy.`,
      {
        hint: 'Check that the database server is running and reachable, then retry the request.',
        cause: error,
      },
    );
  }
  return new DeploySmithError(
    'database_unavailable',
    `The PostgreSQL database ${where} does not answer: ${(error as Error).message}`,
    {
      hint: 'Check that the database server is running and reachable; smithd reconnects by itself, so retry the request once it is back.',
      cause: error,
    },
  );
}
