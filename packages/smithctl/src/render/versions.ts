/** `smithctl versions` and `versions show`: the versions of an app and where each one runs. */
import { formatAge, formatTable, type Output } from '@deploysmith/cli-kit';
import type { Version } from '@deploysmith/core';
import { emptyCell, orNone, shortSha } from './cells.ts';

export function formatVersionsTable(versions: Version[], output: Output, now: Date = new Date()): string {
  const { color } = output;
  const rows = versions.map((version) => {
    const deployed = version.deployedTo.length > 0;
    const id = version.state === 'draft' ? `${version.id} ${color.dim('(draft)')}` : version.id;
    return [
      deployed ? color.bold(id) : id,
      shortSha(version.metadata.gitSha),
      version.metadata.branch ?? emptyCell(output),
      version.metadata.committer ?? emptyCell(output),
      formatAge(version.publishedAt ?? version.createdAt, now),
      deployed ? color.green.bold(version.deployedTo.join(', ')) : emptyCell(output),
    ];
  });
  return formatTable(['VERSION', 'SHA', 'BRANCH', 'COMMITTER', 'AGE', 'DEPLOYED TO'], rows, output);
}

/** One version in full: metadata, bundle, where it runs, its files. */
export function formatVersionDetail(version: Version, output: Output, now: Date = new Date()): string {
  const { color } = output;
  const meta = version.metadata;
  const when = (iso: string | null) => (iso === null ? '-' : `${iso} (${formatAge(iso, now)})`);
  const fields: [string, string][] = [
    ['app', version.app],
    ['version', version.id],
    ['state', version.state],
    ['git sha', meta.gitSha],
    ['branch', orNone(meta.branch)],
    ['tag', orNone(meta.tag)],
    ['committer', orNone(meta.committer)],
    ['build', orNone(meta.buildNumber)],
    ['pipeline', orNone(meta.pipelineUrl)],
    ['built at', when(meta.createdAt)],
    ['published at', when(version.publishedAt)],
    ['bundle', `sha256:${version.sha256} (${version.size} bytes)`],
    ['deployed to', version.deployedTo.length === 0 ? '-' : color.green.bold(version.deployedTo.join(', '))],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  const lines = fields.map(([label, value]) => `${color.bold(label.padEnd(width))}  ${value}`);
  const files = version.files ?? [];
  lines.push('', color.bold(`files (${files.length})`), ...files.map((file) => `  ${file}`));
  return lines.join('\n');
}
