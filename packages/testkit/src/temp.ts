/** Temporary directories that a test removes when it is done. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  [Symbol.asyncDispose](): Promise<void>;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'deploysmith-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const remove = () => rm(path, { recursive: true, force: true });
  return { path, remove, [Symbol.asyncDispose]: remove };
}
