/**
 * Every write runs here, in one transaction. On SQLite it begins IMMEDIATE, taking the write lock at
 * once: two writers never both read and then collide at commit time (SQLITE_BUSY mid-transaction).
 * On PostgreSQL the transaction first takes one advisory lock shared by all writes, so replicas get
 * the same one-writer-at-a-time semantics the write code relies on (read, check, then insert: a
 * draft's position, an API key's name) instead of unique violations under READ COMMITTED. Write
 * transactions are a few short statements; reads never wait.
 */
import { type Kysely, sql } from 'kysely';
import { writeLock } from './advisory-locks.ts';
import type { Database } from './connect.ts';
import type { Schema } from './schema.ts';

/** `work` must use the handle it is given, never `database.db` (SQLite has a single connection). */
export async function writeTransaction<T>(
  database: Database,
  work: (trx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') {
    return database.db.transaction().execute(async (trx) => {
      await writeLock().execute(trx);
      return work(trx);
    });
  }
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      // SQLite rolls back by itself on some failures (a full disk at commit): then there is nothing
      // to roll back, and that second error must not hide the first, which names the cause.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
