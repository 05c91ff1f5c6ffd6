/** A throwaway git clone of examples/gitops-smud for one test, and helpers to look at it. */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '@deploysmith/gitops';
import { REPO_ROOT, runCli } from '@deploysmith/testkit/bin';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';

export const EXAMPLE = join(REPO_ROOT, 'examples/gitops-smud');

export interface SmudFixture {
  dir: string;
  read(file: string): Promise<string>;
  write(file: string, text: string): Promise<void>;
  git(...args: string[]): Promise<string>;
  /** `git status --porcelain`: empty when the work tree is as committed. */
  status(): Promise<string>;
  pilar(
    args: string[],
    options?: { env?: Record<string, string>; input?: string },
  ): ReturnType<typeof runCli>;
  remove(): Promise<void>;
}

export async function smudFixture(): Promise<SmudFixture> {
  requireTool('git');
  const temp = await tempDir('pilar-smud-');
  const dir = join(temp.path, 'gitops');
  await cp(EXAMPLE, dir, { recursive: true });
  const run = (...args: string[]) => git(dir, args);
  await run('init', '-q', '-b', 'main');
  await run('config', 'user.name', 'Test Bot');
  await run('config', 'user.email', 'bot@example.com');
  await run('add', '-A');
  await run('commit', '-q', '-m', 'initial SMUD repo');
  return {
    dir,
    read: (file) => readFile(join(dir, file), 'utf8'),
    write: (file, text) => writeFile(join(dir, file), text),
    git: run,
    status: async () => (await run('status', '--porcelain')).trim(),
    pilar: (args, options = {}) =>
      runCli('pilar', args, {
        cwd: dir,
        env: { DOCKER_CONFIG: join(temp.path, 'no-docker'), ...options.env },
        ...(options.input === undefined ? {} : { input: options.input }),
      }),
    remove: () => temp.remove(),
  };
}

/** The lines a diff removes and adds (file headers left out). */
export function diffLines(diff: string): { removed: string[]; added: string[] } {
  const lines = diff.split('\n');
  return {
    removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1)),
    added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1)),
  };
}
