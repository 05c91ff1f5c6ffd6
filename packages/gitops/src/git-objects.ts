/**
 * Git object ids computed in-process, the way `git hash-object` and `git write-tree` compute them,
 * so a folder about to be written can be recognised by the tree id it will have in the commit.
 */
import { createHash } from 'node:crypto';

export type ObjectFormat = 'sha1' | 'sha256';

export function blobOid(content: Uint8Array, format: ObjectFormat = 'sha1'): string {
  return createHash(format).update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

interface TreeNode {
  files: Map<string, Uint8Array>;
  dirs: Map<string, TreeNode>;
}

/**
 * The id of the tree holding `files` (POSIX paths relative to the tree, regular non-executable
 * files), as git would store it.
 */
export function treeOid(
  files: Iterable<{ path: string; content: Uint8Array }>,
  format: ObjectFormat = 'sha1',
): string {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    const name = parts.pop() ?? '';
    let node = root;
    for (const part of parts) {
      let next = node.dirs.get(part);
      if (next === undefined) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(part, next);
      }
      node = next;
    }
    node.files.set(name, file.content);
  }
  return hashTree(root, format).toString('hex');
}

function hashTree(node: TreeNode, format: ObjectFormat): Buffer {
  const entries: { sortKey: string; bytes: Buffer }[] = [];
  for (const [name, content] of node.files) {
    const oid = Buffer.from(blobOid(content, format), 'hex');
    entries.push({ sortKey: name, bytes: Buffer.concat([Buffer.from(`100644 ${name}\0`), oid]) });
  }
  for (const [name, child] of node.dirs) {
    // git sorts a tree's entries as if folder names ended in "/".
    entries.push({
      sortKey: `${name}/`,
      bytes: Buffer.concat([Buffer.from(`40000 ${name}\0`), hashTree(child, format)]),
    });
  }
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)));
  const body = Buffer.concat(entries.map((entry) => entry.bytes));
  return createHash(format).update(`tree ${body.byteLength}\0`).update(body).digest();
}
