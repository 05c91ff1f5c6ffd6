/**
 * A folder tree as data: every entry under a root with its type and, for files, a hash of the
 * content, so a test can prove a request left no file behind (and changed none) anywhere it can see.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

export type Tree = Record<string, string>;

/** Entries under `root`, relative paths → `file <sha256>` | `dir` | `link <target>`; `skip` prunes subtrees (relative paths). */
export async function snapshotTree(
  root: string,
  skip: (path: string) => boolean = () => false,
): Promise<Tree> {
  const tree: Tree = {};
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (skip(rel)) continue;
      const info = await lstat(path).catch(() => undefined);
      if (info === undefined) continue;
      if (info.isSymbolicLink()) tree[rel] = `link ${await readlink(path)}`;
      else if (info.isDirectory()) {
        tree[rel] = 'dir';
        await walk(path);
      } else if (info.isFile()) {
        tree[rel] = `file ${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}`;
      } else tree[rel] = 'special';
    }
  };
  await walk(root);
  return tree;
}

/** What differs between two snapshots, one line per path. */
export function treeChanges(before: Tree, after: Tree): string[] {
  const changes: string[] = [];
  for (const [path, what] of Object.entries(after)) {
    if (!(path in before)) changes.push(`+ ${path} (${what.split(' ')[0]})`);
    else if (before[path] !== what) changes.push(`~ ${path}`);
  }
  for (const path of Object.keys(before)) if (!(path in after)) changes.push(`- ${path}`);
  return changes;
}
