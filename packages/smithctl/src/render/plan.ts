/** A deploy's plan (`--dry-run`): what it is, the files it touches, and the unified diff. */
import type { Output } from '@deploysmith/cli-kit';
import type { DryRunResponse } from '@deploysmith/core';

/** Colours a unified diff on a terminal (green added, red removed, cyan hunks); plain otherwise. */
export function colorDiff(diff: string, output: Output): string {
  const { color } = output;
  return diff
    .split('\n')
    .map((line) => {
      if (
        line.startsWith('+++') ||
        line.startsWith('---') ||
        line.startsWith('diff ') ||
        line.startsWith('index ')
      ) {
        return color.bold(line);
      }
      if (line.startsWith('+')) return color.green(line);
      if (line.startsWith('-')) return color.red(line);
      if (line.startsWith('@@')) return color.cyan(line);
      return line;
    })
    .join('\n');
}

/** "rollback of hello in production from 1.2.0 to 1.1.0" */
export function describeMove(
  plan: Pick<DryRunResponse, 'app' | 'environment' | 'version' | 'kind' | 'previousVersion'>,
): string {
  const from = plan.previousVersion === null ? 'nothing deployed' : plan.previousVersion;
  return `${plan.kind} of ${plan.app} in ${plan.environment}: ${from} → ${plan.version}`;
}

export function isNoop(plan: Pick<DryRunResponse, 'version' | 'previousVersion'>): boolean {
  return plan.previousVersion === plan.version;
}

export function formatPlanSummary(plan: DryRunResponse): string {
  const { added, changed, removed } = plan.plan;
  return `${added.length} added, ${changed.length} changed, ${removed.length} removed`;
}

export function formatPlan(plan: DryRunResponse, output: Output): string {
  const { color } = output;
  const lines = [`${color.bold('Plan:')} ${describeMove(plan)}`];
  if (isNoop(plan)) {
    lines.push(`${plan.version} is already deployed to ${plan.environment}: a deploy would change nothing.`);
  }
  const files: [string, string[], (text: string) => string][] = [
    ['added', plan.plan.added, color.green],
    ['changed', plan.plan.changed, color.yellow],
    ['removed', plan.plan.removed, color.red],
  ];
  for (const [label, paths, paint] of files) {
    for (const path of paths) lines.push(`  ${paint(label.padEnd(7))}  ${path}`);
  }
  lines.push(formatPlanSummary(plan));
  if (plan.plan.diff !== '') lines.push('', colorDiff(plan.plan.diff.replace(/\n$/, ''), output));
  lines.push('', color.dim('Dry run: nothing was changed.'));
  return lines.join('\n');
}
