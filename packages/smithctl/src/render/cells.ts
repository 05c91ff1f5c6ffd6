/** Small pieces every table and message shares, so the same thing always looks the same. */
import type { Output } from '@deploysmith/cli-kit';
import type { Policy } from '@deploysmith/core';

export const NONE = '-';

/** The first 7 characters of a git sha, as git shows it. */
export function shortSha(sha: string | null | undefined): string {
  return sha === null || sha === undefined || sha === '' ? NONE : sha.slice(0, 7);
}

export function orNone(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? NONE : value;
}

/** "branch main, tag v*": what an auto-deploy policy follows. */
export function describePolicy(policy: Pick<Policy, 'branch' | 'tag'> | null): string {
  if (policy === null) return NONE;
  const parts = [
    policy.branch === null ? undefined : `branch ${policy.branch}`,
    policy.tag === null ? undefined : `tag ${policy.tag}`,
  ];
  const text = parts.filter((part) => part !== undefined).join(', ');
  return text === '' ? NONE : text;
}

/** A dimmed dash for an empty cell, so the eye skips it on a terminal. */
export function emptyCell(output: Output): string {
  return output.color.dim(NONE);
}
