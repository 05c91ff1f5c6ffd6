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
 *
 * A replica whose queue holds more deploys for the repo keeps the lock for the next one (a few
 * turns at most, then it lets a waiting replica in): every hand-over costs the next writer a
 * rejected push and a fetch, since its working clone is behind what the other replica pushed.
 */
import type { RepoLock } from '../repo/types.ts';
import { REPOS } from './advisory-locks.ts';
import type { Database, LockSession } from './connect.ts';

/** Deploys in a row one replica may make while another waits for the repo. */
const TURNS = 8;
/** How long a released lock waits for this replica's next deploy before it is let go. */
const LINGER_MS = 20;

interface Held {
  session: LockSession;
  turns: number;
  timer?: NodeJS.Timeout;
}

export function repoLockFor(database: Database): RepoLock | undefined {
  const open = database.lockSession;
  if (open === undefined) return undefined;
  const held = new Map<string, Held>();

  const letGo = async (repo: string, entry: Held) => {
    clearTimeout(entry.timer);
    if (held.get(repo) === entry) held.delete(repo);
    // When the connection broke meanwhile, the server dropped the lock with it.
    await entry.session
      .query('select pg_advisory_unlock($1, hashtext($2))', [REPOS, repo])
      .catch(() => undefined);
    entry.session.release();
  };

  const acquire = async (repo: string): Promise<Held> => {
    const session = await open();
    try {
      await session.query('select pg_advisory_lock($1, hashtext($2))', [REPOS, repo]);
    } catch (error) {
      session.release();
      throw error;
    }
    const entry: Held = { session, turns: 0 };
    held.set(repo, entry);
    return entry;
  };

  // Called by the repo's in-process queue: never twice at once for one repo.
  return async (repo, work) => {
    let entry = held.get(repo);
    if (entry !== undefined) {
      clearTimeout(entry.timer);
      // Kept only while its connection (and so the lock) is alive, and for a few turns.
      const alive =
        entry.turns < TURNS &&
        (await entry.session.query('select 1', []).then(
          () => true,
          () => false,
        ));
      if (!alive) {
        await letGo(repo, entry);
        entry = undefined;
      }
    }
    entry ??= await acquire(repo);
    entry.turns += 1;
    const current = entry;
    try {
      return await work();
    } finally {
      current.timer = setTimeout(() => void letGo(repo, current), LINGER_MS);
      current.timer.unref();
    }
  };
}
