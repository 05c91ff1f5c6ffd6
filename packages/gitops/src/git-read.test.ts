import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from './git.ts';
import { GitError } from './git-error.ts';
import { gitRead } from './git-read.ts';

describe('gitRead', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'git-read-'));
    await git(dir, ['init', '-q', '-b', 'main']);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers what git() answers', async () => {
    const args = ['rev-parse', '--show-toplevel', '--git-dir'];
    expect(await gitRead(dir, args)).toBe(await git(dir, args));
  });

  it('fails with a GitError carrying the command, exit code and stderr', async () => {
    const error = await gitRead(dir, ['rev-parse', '--verify', 'no-such-ref^{commit}']).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ exitCode: 128, args: ['rev-parse', '--verify', 'no-such-ref^{commit}'] });
    expect((error as GitError).stderr).toMatch(/fatal/);
  });
});
