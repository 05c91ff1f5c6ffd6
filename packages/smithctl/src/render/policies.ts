/** `smithctl policy list`: which environments follow which branches and tags. */
import { formatAge, formatTable, type Output } from '@deploysmith/cli-kit';
import type { Policy } from '@deploysmith/core';
import { emptyCell } from './cells.ts';

export function formatPolicies(policies: Policy[], output: Output, now: Date = new Date()): string {
  const rows = policies.map((policy) => [
    policy.environment,
    policy.branch ?? emptyCell(output),
    policy.tag ?? emptyCell(output),
    formatAge(policy.updatedAt, now),
  ]);
  return formatTable(['ENVIRONMENT', 'BRANCH', 'TAG', 'UPDATED'], rows, output);
}
