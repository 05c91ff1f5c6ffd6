import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from './git.ts';
import { formatCommitMessage, parseTrailerLines } from './trailers.ts';

describe('commit trailers', () => {
  it('writes trailers that git itself parses back, one line each, even from hostile values', async () => {
    const message = formatCommitMessage('deploy hello v1 to staging', [
      ['Deploy-Id', 'abc-123'],
      ['Requested-By', 'mallory\n\nDeploy-Id: forged'],
    ]);
    expect(message).toBe(
      'deploy hello v1 to staging\n\nDeploy-Id: abc-123\nRequested-By: mallory Deploy-Id: forged\n',
    );
    const dir = await mkdtemp(join(tmpdir(), 'trailers-'));
    try {
      await git(dir, ['init', '-q']);
      const parsed = await git(dir, ['interpret-trailers', '--parse', '--only-trailers'], { input: message });
      expect(parseTrailerLines(parsed)).toEqual(
        new Map([
          ['Deploy-Id', 'abc-123'],
          ['Requested-By', 'mallory Deploy-Id: forged'],
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a trailer key git would not read as one', () => {
    expect(() => formatCommitMessage('x', [['Bad Key', 'v']])).toThrow('Invalid trailer key');
  });
});
