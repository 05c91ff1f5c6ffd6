/** `smithctl status` and `apps list`: what runs where, who put it there, pins and policies. */
import { formatAge, formatTable, type Output } from '@deploysmith/cli-kit';
import type { App, EnvironmentStatus } from '@deploysmith/core';
import { describePolicy, emptyCell, NONE, shortSha } from './cells.ts';

function pinCell(status: EnvironmentStatus, output: Output, now: Date): string {
  const pin = status.pin;
  if (pin === null) return emptyCell(output);
  return output.color.yellow(`pinned to ${pin.version} by ${pin.pinnedBy} ${formatAge(pin.pinnedAt, now)}`);
}

export function formatStatus(app: App, output: Output, now: Date = new Date()): string {
  const { color } = output;
  const rows = app.status.map((status) => {
    const current = status.current;
    const policy = describePolicy(status.policy);
    return [
      status.environment,
      current === null ? color.dim('nothing deployed') : color.green.bold(current.version),
      current === null ? emptyCell(output) : formatAge(current.finishedAt ?? current.createdAt, now),
      current === null ? emptyCell(output) : current.requestedBy,
      current === null ? emptyCell(output) : shortSha(current.commit),
      current === null ? emptyCell(output) : current.kind,
      pinCell(status, output, now),
      policy === NONE ? emptyCell(output) : policy,
    ];
  });
  const table = formatTable(
    ['ENVIRONMENT', 'VERSION', 'DEPLOYED', 'BY', 'COMMIT', 'KIND', 'PIN', 'AUTO-DEPLOY'],
    rows,
    output,
  );
  const pinned = app.status.filter((status) => status.pin !== null);
  const notes = pinned.map(
    (status) =>
      `${status.environment} is pinned: auto-deploy skips it until \`smithctl unpin ${app.name} --env ${status.environment}\` or a deploy of a newer version.`,
  );
  return [
    `${color.bold(app.name)} ${color.dim(`(repo ${app.repo})`)}`,
    '',
    table,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

export function formatAppsTable(apps: App[], output: Output): string {
  const rows = apps.map((app) => [
    app.name,
    app.repo,
    app.status
      .map((status) =>
        status.current === null
          ? `${status.environment}=${output.color.dim(NONE)}`
          : `${status.environment}=${output.color.green(status.current.version)}${status.pin === null ? '' : output.color.yellow(' (pinned)')}`,
      )
      .join('  '),
  ]);
  return formatTable(['APP', 'REPO', 'ENVIRONMENTS'], rows, output);
}
