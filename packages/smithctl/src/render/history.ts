/** `smithctl history`: every deploy, newest first, with what it replaced. */
import { formatAge, formatTable, type Output } from '@deploysmith/cli-kit';
import type { Deployment } from '@deploysmith/core';
import { emptyCell, shortSha } from './cells.ts';

export function formatHistory(deployments: Deployment[], output: Output, now: Date = new Date()): string {
  const { color } = output;
  const kindCell = (kind: Deployment['kind']) => (kind === 'rollback' ? color.yellow(kind) : kind);
  const statusCell = (deployment: Deployment) => {
    if (deployment.status === 'failed')
      return color.red(deployment.error === null ? 'failed' : `failed: ${deployment.error}`);
    if (deployment.status === 'pending') return color.yellow('pending');
    return color.green('succeeded');
  };
  const rows = deployments.map((deployment) => [
    formatAge(deployment.createdAt, now),
    deployment.environment,
    deployment.version,
    kindCell(deployment.kind),
    deployment.previousVersion ?? emptyCell(output),
    deployment.requestedBy,
    deployment.commit === null ? emptyCell(output) : shortSha(deployment.commit),
    statusCell(deployment),
  ]);
  return formatTable(
    ['WHEN', 'ENVIRONMENT', 'VERSION', 'KIND', 'FROM', 'BY', 'COMMIT', 'STATUS'],
    rows,
    output,
  );
}
