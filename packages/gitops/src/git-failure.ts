/**
 * What a failed fetch or push means, read from git's stderr (git runs with LC_ALL=C, so the
 * messages are git's English ones): someone else moved the branch first (fetch and try again), the
 * remote refused for good (a hook, a protected branch), or it could not be reached at all.
 */
import { GitError } from './git-error.ts';

export type GitFailure = 'rejected' | 'refused' | 'unreachable';

/** A push lost a race: the branch moved between our fetch and our push. Safe to fetch and retry. */
const RACE = [
  /non-fast-forward/i,
  /\(fetch first\)/i,
  /cannot lock ref/i,
  /incorrect old value/i,
  /\(stale info\)/i,
  /failed to update ref/i,
  /tip of your current branch is behind/i,
  /updates were rejected because the remote contains work/i,
];

/** The remote answered and said no, for a reason retrying cannot fix. */
const REFUSED = [/\[remote rejected\]/i, /hook declined/i, /protected branch/i, /permission to .* denied/i];

export function classifyGitFailure(error: unknown): GitFailure {
  const text = error instanceof GitError ? error.stderr : String(error);
  if (RACE.some((pattern) => pattern.test(text))) return 'rejected';
  if (REFUSED.some((pattern) => pattern.test(text))) return 'refused';
  return 'unreachable';
}

/** The first meaningful line of git's stderr, for an error message a person reads. */
export function gitFailureSummary(error: unknown): string {
  const text =
    error instanceof GitError ? error.stderr : error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('hint:') && !line.startsWith('To '));
  const fatal = lines.find((line) => /^(fatal|error|remote):/.test(line)) ?? lines[0] ?? 'no output';
  return fatal.replace(/^(fatal|error): /, '');
}
