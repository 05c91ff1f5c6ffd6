/**
 * Every write runs here, in one transaction. On SQLite it begins IMMEDIATE, taking the write lock at
 * once: two writers never both read and then collide at commit time (SQLITE_BUSY mid-transaction).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './connect.ts';
import type { Schema } from './schema.ts';

/** `work` must use the handle it is given, never `database.db` (SQLite has a single connection). */
export async function writeTransaction<T>(
  database: Database,
  work: (trx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') return database.db.transaction().execute(work);
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
