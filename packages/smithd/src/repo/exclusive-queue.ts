/**
 * One repo's writes, one at a time: an in-process promise chain, optionally wrapped in a lock that
 * reaches across processes. Re-entrant, so `exclusive(() => repo.apply(...))` from the deploy
 * service does not wait for itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RepoLock } from './types.ts';

export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export function createExclusive(repo: string, lock?: RepoLock): Exclusive {
  const inside = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    if (inside.getStore() === true) return work();
    const run = () => inside.run(true, () => (lock === undefined ? work() : lock(repo, work)));
    const result = tail.then(run, run);
    // A failed job must not poison the jobs queued behind it.
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
}
