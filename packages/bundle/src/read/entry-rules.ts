/**
 * What an entry of an uploaded bundle may be, decided from its header alone, before any of its
 * content is read. Flux's untar and the node-tar advisories name the same dangers: links that point
 * elsewhere, devices, absolute paths and `..`, names that mean different things on different systems.
 */
import { MANIFESTS_DIR, VERSION_FILE } from '@deploysmith/core';
import type { Header } from 'tar-stream';
import { manifestPathProblem } from '../paths.ts';

export type EntryKind = { kind: 'version-file' } | { kind: 'manifest'; path: string } | { kind: 'folder' };

const TYPE_NAMES: Record<string, string> = {
  symlink: 'a symbolic link',
  link: 'a hard link',
  'character-device': 'a character device',
  'block-device': 'a block device',
  fifo: 'a FIFO (named pipe)',
  'contiguous-file': 'a contiguous file',
};

/** What the entry is, or why it is refused (the message follows the entry's quoted name). */
export function classifyEntry(header: Header): EntryKind | { problem: string } {
  const type = header.type ?? 'file';
  if (type !== 'file' && type !== 'directory') {
    const what = TYPE_NAMES[type] ?? `of type ${JSON.stringify(type)}`;
    return { problem: `is ${what}; a bundle holds only regular files and folders` };
  }
  let name = header.name;
  // `tar -C dir .` writes `./version.yml`; that prefix means nothing and is dropped.
  if (name.startsWith('./')) name = name.slice(2);
  if (type === 'directory') {
    if (name.endsWith('/')) name = name.slice(0, -1);
    if (name === '' || name === '.' || name === MANIFESTS_DIR) return { kind: 'folder' };
    if (!name.startsWith(`${MANIFESTS_DIR}/`))
      return { problem: `is outside ${VERSION_FILE} and ${MANIFESTS_DIR}/` };
    // A folder name is checked as a file in it would be, minus the extension rule.
    const problem = manifestPathProblem(`${name.slice(MANIFESTS_DIR.length + 1)}/x.yaml`);
    return problem === undefined ? { kind: 'folder' } : { problem };
  }
  if (name === VERSION_FILE) return { kind: 'version-file' };
  const early = manifestPathProblem(name);
  if (early !== undefined && !/^(is not a .yaml|has a name with)/.test(early)) return { problem: early };
  if (!name.startsWith(`${MANIFESTS_DIR}/`))
    return { problem: `is outside ${VERSION_FILE} and ${MANIFESTS_DIR}/` };
  const path = name.slice(MANIFESTS_DIR.length + 1);
  const problem = manifestPathProblem(path);
  return problem === undefined ? { kind: 'manifest', path } : { problem };
}
