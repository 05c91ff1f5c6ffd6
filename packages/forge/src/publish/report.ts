/** What `forge publish` tells the reader: the version, and what the publish deployed or skipped. */
import type { Deployment, SkippedDeploy } from '@deploysmith/core';
import type { PublishResult } from './publish-version.ts';

export interface Paint {
  bold(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

export function formatPublishResult(result: PublishResult, paint: Paint): string[] {
  const { version } = result;
  const lines = [
    `${paint.green('Published')} ${paint.bold(`${version.app} ${version.id}`)} ${paint.dim(
      `(sha256 ${version.sha256.slice(0, 12)}…, ${formatSize(version.size)}${result.uploaded ? '' : ', already uploaded'})`,
    )}`,
  ];
  if (result.deployments.length === 0 && result.skipped.length === 0) {
    lines.push('No auto-deploy policy matched; deploy it with smithctl deploy.');
  }
  for (const deployment of result.deployments) lines.push(`  ${formatDeployment(deployment, paint)}`);
  for (const skipped of result.skipped) lines.push(`  ${paint.yellow(skipReason(skipped))}`);
  return lines;
}

/** smithd's reasons name the environment ("production skipped: pinned by …"); others get it added. */
function skipReason(skipped: SkippedDeploy): string {
  return skipped.reason.startsWith(`${skipped.environment} `)
    ? skipped.reason
    : `${skipped.environment}: ${skipped.reason}`;
}

function formatDeployment(deployment: Deployment, paint: Paint): string {
  const what = `${deployment.kind} to ${deployment.environment}`;
  switch (deployment.status) {
    case 'succeeded':
      return `${paint.green(what)}: succeeded${deployment.commit ? `, GitOps commit ${deployment.commit.slice(0, 7)}` : ''}${
        deployment.previousVersion ? paint.dim(` (was ${deployment.previousVersion})`) : ''
      }`;
    case 'failed':
      return `${paint.red(what)}: failed${deployment.error ? `: ${deployment.error}` : ''}`;
    default:
      return `${paint.yellow(what)}: ${deployment.status}`;
  }
}

/** Markdown for GitHub's job summary ($GITHUB_STEP_SUMMARY). */
export function publishSummaryMarkdown(result: PublishResult): string {
  const { version } = result;
  const meta = version.metadata;
  const commit = `\`${meta.gitSha.slice(0, 7)}\`${meta.branch ? ` on \`${meta.branch}\`` : ''}${meta.tag ? ` (tag \`${meta.tag}\`)` : ''}`;
  const build = meta.buildNumber
    ? meta.pipelineUrl
      ? `[${meta.buildNumber}](${meta.pipelineUrl})`
      : meta.buildNumber
    : '–';
  const rows = [
    `| Version | \`${version.id}\` |`,
    `| Commit | ${commit} |`,
    `| Build | ${build} |`,
    `| Bundle | sha256 \`${version.sha256.slice(0, 12)}…\`, ${formatSize(version.size)}${result.uploaded ? '' : ', already uploaded'} |`,
  ];
  const deploys = [
    ...result.deployments.map(
      (d) =>
        `- ${d.kind} to **${d.environment}**: ${d.status}${d.commit ? ` (GitOps commit \`${d.commit.slice(0, 7)}\`)` : ''}${
          d.error ? ` — ${escapeMarkdown(d.error)}` : ''
        }`,
    ),
    ...result.skipped.map((s) => `- ${escapeMarkdown(skipReason(s))}`),
  ];
  return [
    `### forge published ${version.app} ${version.id}`,
    '',
    '| | |',
    '|---|---|',
    ...rows,
    '',
    deploys.length === 0 ? 'No auto-deploy policy matched.' : '**Auto-deploys**',
    ...deploys,
    '',
  ].join('\n');
}

export function failureSummaryMarkdown(
  app: string,
  error: {
    code?: string;
    message: string;
    hint?: string | undefined;
    details?: Array<{ file?: string; line?: number; message: string; field?: string }>;
  },
): string {
  const details = (error.details ?? []).map((d) => {
    const where = [d.file, d.line].filter((part) => part !== undefined).join(':');
    return `- ${where ? `\`${where}\`: ` : ''}${escapeMarkdown(d.message)}${d.field ? ` (\`${d.field}\`)` : ''}`;
  });
  return [
    `### forge publish of ${app} failed`,
    '',
    `${escapeMarkdown(error.message)}${error.code ? ` \`${error.code}\`` : ''}`,
    ...(details.length > 0 ? ['', ...details] : []),
    ...(error.hint ? ['', `_${escapeMarkdown(error.hint)}_`] : []),
    '',
  ].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[|<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
