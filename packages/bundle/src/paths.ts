/**
 * Names a bundle may hold. The same rules apply when forge packs (so a pipeline fails before it
 * uploads) and when smithd reads an upload: the names end up as paths in a GitOps repo, on every
 * developer's disk, so they are plain, portable and unambiguous.
 */
import { isManifestPath } from '@deploysmith/manifests';

const SEGMENT = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$/;
const MAX_PATH = 1024;
const MAX_SEGMENT = 255;
const MAX_DEPTH = 32;

/** Why `path` (relative to `manifests/`) cannot be a manifest's path in a bundle, or undefined. */
export function manifestPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a NUL or control character';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is an absolute path';
  const segments = path.split('/');
  if (segments.includes('..')) return 'contains a ".." segment';
  if (segments.some((segment) => segment === '' || segment === '.'))
    return 'contains an empty or "." segment';
  if (path.length > MAX_PATH) return `is longer than ${MAX_PATH} characters`;
  if (segments.length > MAX_DEPTH) return `is nested more than ${MAX_DEPTH} folders deep`;
  for (const segment of segments) {
    if (segment.length > MAX_SEGMENT) return `has a name longer than ${MAX_SEGMENT} characters`;
    if (!SEGMENT.test(segment)) {
      return 'has a name with characters other than letters, digits, ".", "_", "-", "+" and "@" (or starts with ".")';
    }
  }
  if (!isManifestPath(path)) return 'is not a .yaml or .yml file';
  return undefined;
}

/** How two names are compared for clashes: case-insensitive file systems (macOS, Windows) and Unicode forms. */
export function clashKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** A name quoted for a message, escaped and shortened so hostile names cannot flood or garble it. */
export function quoteName(name: string): string {
  const json = JSON.stringify(name);
  return json.length > 200 ? `${json.slice(0, 197)}..."` : json;
}
