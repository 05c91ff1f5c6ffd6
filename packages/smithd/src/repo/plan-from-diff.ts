/** A deploy's plan read from git's own diff output. */
import type { DeployPlan } from '@deploysmith/core';

/**
 * Reads `git diff --raw --patch -z`: NUL-separated raw records (`:modes oids status`, then one path,
 * or two for a rename or copy), then the patch text.
 */
export function parseRawAndPatch(out: string): DeployPlan {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  let at = 0;
  while (at < out.length && out[at] === ':') {
    const statusEnd = out.indexOf('\0', at);
    const status = out.slice(at, statusEnd).split(' ').pop() ?? '';
    const firstEnd = out.indexOf('\0', statusEnd + 1);
    const first = out.slice(statusEnd + 1, firstEnd);
    at = firstEnd + 1;
    if (status.startsWith('R') || status.startsWith('C')) {
      const secondEnd = out.indexOf('\0', at);
      const second = out.slice(at, secondEnd);
      at = secondEnd + 1;
      if (status.startsWith('R')) removed.push(first);
      added.push(second);
    } else if (status === 'A') added.push(first);
    else if (status === 'D') removed.push(first);
    else changed.push(first);
  }
  // After the raw records git prints one NUL-terminated empty record (and newline) before the patch.
  const diff = out.slice(at).replace(/^\0?\n?/, '');
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), diff };
}
