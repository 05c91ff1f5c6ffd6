/**
 * Deploys to one GitOps repo are serialised across smithd replicas that share a PostgreSQL database
 * with a session advisory lock, held on one pooled connection for the length of the write. SQLite
 * means one smithd per database, so the in-process queue alone serialises them.
 */
import { sql } from 'kysely';
import type { RepoLock } from '../repo/types.ts';
import type { Database } from './connect.ts';

export function repoLockFor(database: Database): RepoLock | undefined {
  if (database.dialect !== 'postgres') return undefined;
  return (repo, work) =>
    database.db.connection().execute(async (connection) => {
      const key = `deploysmith:repo:${repo}`;
      await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
      }
    });
}
