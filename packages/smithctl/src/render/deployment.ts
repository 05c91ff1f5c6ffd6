/** What `deploy` and `rollback` say when they are done. */
import type { Output } from '@deploysmith/cli-kit';
import type { DeployResponse } from '@deploysmith/core';

export function formatDeployResult(response: DeployResponse, output: Output): string {
  const { color } = output;
  const d = response.deployment;
  if (response.noop) {
    return `${d.app} ${d.version} is already deployed to ${d.environment}; nothing changed (commit ${d.commit ?? '-'}).`;
  }
  if (d.status === 'pending') {
    return color.yellow(
      `The deploy of ${d.app} ${d.version} to ${d.environment} is still pending (${d.id}); \`smithctl history ${d.app} --env ${d.environment}\` shows when it settles.`,
    );
  }
  const commit = `commit ${color.bold(d.commit ?? '-')}`;
  if (d.kind === 'rollback') {
    return [
      `Rolled back ${d.app} in ${d.environment} from ${d.previousVersion ?? '-'} to ${d.version}: ${commit}.`,
      color.yellow(
        `${d.environment} is pinned to ${d.version}: auto-deploy skips it until a newer version is deployed by hand or \`smithctl unpin ${d.app} --env ${d.environment}\`.`,
      ),
    ].join('\n');
  }
  const was = d.previousVersion === null ? '' : ` (was ${d.previousVersion})`;
  return `Deployed ${d.app} ${d.version} to ${d.environment}${was}: ${commit}.`;
}
