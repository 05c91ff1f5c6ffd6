/** A throwaway app repository for the end-to-end tests: git history, manifests, and edits to them. */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '@deploysmith/testkit/bin';
import { gitIn } from '@deploysmith/testkit/gitops';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';

export const HELLO_WORLD = join(REPO_ROOT, 'examples', 'hello-world');

export interface AppRepo {
  path: string;
  manifests: string;
  /** Full sha of HEAD. */
  head(): Promise<string>;
  /** Commits everything with a fixed committer date (so createdAt is known). */
  commit(message: string): Promise<string>;
  write(relative: string, content: string): Promise<void>;
  read(relative: string): Promise<string>;
  remove(): Promise<void>;
}

/** A git repo on branch main holding examples/hello-world (service.yaml and manifests/), committed. */
export async function createAppRepo(prefix = 'forge-app-'): Promise<AppRepo> {
  const dir: TempDir = await tempDir(prefix);
  await gitIn(dir.path, ['init', '-q', '-b', 'main']);
  await cp(join(HELLO_WORLD, 'manifests'), join(dir.path, 'manifests'), { recursive: true });
  await cp(join(HELLO_WORLD, 'service.yaml'), join(dir.path, 'service.yaml'));
  const repo: AppRepo = {
    path: dir.path,
    manifests: join(dir.path, 'manifests'),
    head: async () => (await gitIn(dir.path, ['rev-parse', 'HEAD'])).trim(),
    async commit(message) {
      await gitIn(dir.path, ['add', '-A']);
      await gitIn(dir.path, ['commit', '-q', '--allow-empty', '-m', message]);
      return repo.head();
    },
    async write(relative, content) {
      const path = join(dir.path, relative);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, content);
    },
    read: (relative) => readFile(join(dir.path, relative), 'utf8'),
    remove: () => dir.remove(),
  };
  await repo.commit('hello-world');
  return repo;
}
