import { describe, expect, it } from 'vitest';
import { createExclusive } from './exclusive-queue.ts';
import type { RepoLock } from './types.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('one repo’s writes, one at a time', () => {
  it('runs queued work in order, never two at once', async () => {
    const exclusive = createExclusive('gitops');
    const events: string[] = [];
    let running = 0;
    const job = (name: string) =>
      exclusive(async () => {
        running += 1;
        expect(running).toBe(1);
        events.push(`start ${name}`);
        await tick();
        events.push(`end ${name}`);
        running -= 1;
        return name;
      });
    expect(await Promise.all([job('a'), job('b'), job('c')])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('keeps going after a job fails, and hands the failure to that job’s caller only', async () => {
    const exclusive = createExclusive('gitops');
    const failed = exclusive(async () => {
      throw new Error('push rejected');
    });
    const next = exclusive(async () => 'still served');
    await expect(failed).rejects.toThrow('push rejected');
    expect(await next).toBe('still served');
  });

  it('lets work already inside the queue call back into it without waiting for itself', async () => {
    const exclusive = createExclusive('gitops');
    const result = await exclusive(() => exclusive(() => exclusive(async () => 'nested')));
    expect(result).toBe('nested');
  });

  it('wraps each job, once, in the cross-process lock when one is given', async () => {
    const locked: string[] = [];
    const lock: RepoLock = async (repo, work) => {
      locked.push(repo);
      return work();
    };
    const exclusive = createExclusive('gitops', lock);
    await exclusive(() => exclusive(async () => undefined));
    await exclusive(async () => undefined);
    expect(locked).toEqual(['gitops', 'gitops']);
  });
});
