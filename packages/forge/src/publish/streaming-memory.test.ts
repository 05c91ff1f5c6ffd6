import { describe, expect, it } from 'vitest';
import { whileStreaming } from './streaming-memory.ts';

describe('whileStreaming', () => {
  it('returns what the work returns and leaves no timer behind', async () => {
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(await whileStreaming(async () => 42)).toBe(42);
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before);
  });

  it('passes the failure of the work on', async () => {
    await expect(
      whileStreaming(async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
  });
});
