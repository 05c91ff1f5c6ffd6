/**
 * Deploys to one GitOps repo are serialised across smithd replicas that share a PostgreSQL database
 * with a session advisory lock, held for the length of the write. SQLite means one smithd per
 * database, so the in-process queue alone serialises them.
 *
 * The lock lives on a connection of its own (`Database.lockSession`), not on one of the query
 * pool's: a deploy holding a pool connection for its whole git write would, with as many repos
 * deploying as the pool has connections, leave none for the deploys' own queries (a deadlock). The
 * in-process queue runs one deploy per repo at a time, so this takes at most one connection per
 * repo. A transaction-scoped lock is no way out: the transaction would hold a pool connection just
 * the same, for as long as the git write takes.
 */
import type { RepoLock } from '../repo/types.ts';
import { REPOS } from './advisory-locks.ts';
import type { Database } from './connect.ts';

export function repoLockFor(database: Database): RepoLock | undefined {
  const open = database.lockSession;
  if (open === undefined) return undefined;
  return async (repo, work) => {
    const session = await open();
    try {
      await session.query('select pg_advisory_lock($1, hashtext($2))', [REPOS, repo]);
      try {
        return await work();
      } finally {
        // When the connection broke meanwhile, the server dropped the lock with it.
        await session
          .query('select pg_advisory_unlock($1, hashtext($2))', [REPOS, repo])
          .catch(() => undefined);
      }
    } finally {
      session.release();
    }
  };
}
