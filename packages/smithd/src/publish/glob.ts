/**
 * Branch and tag globs of auto-deploy policies and of the version list's branch filter, with
 * picomatch: `*` stays within one `/` segment (`release/*` matches `release/1.2`), `**` crosses them.
 */
import picomatch from 'picomatch';

export type Matcher = (value: string | null) => boolean;

export function globMatcher(glob: string): Matcher {
  const test = picomatch(glob, { dot: true, nobrace: false });
  return (value) => value !== null && test(value);
}

/** True when `glob` matches only itself, so a plain equality query can answer it. */
export function isLiteralGlob(glob: string): boolean {
  return !picomatch.scan(glob).isGlob && !glob.includes('\\');
}

/** A policy fires when its branch glob matches the version's branch or its tag glob matches its tag. */
export function policyMatches(
  policy: { branch: string | null; tag: string | null },
  metadata: { branch: string | null; tag: string | null },
): boolean {
  if (policy.branch !== null && globMatcher(policy.branch)(metadata.branch)) return true;
  if (policy.tag !== null && globMatcher(policy.tag)(metadata.tag)) return true;
  return false;
}
