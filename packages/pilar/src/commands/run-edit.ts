/**
 * The end of every editing command: apply (or show) the plan, then print what changed: lines for
 * people, one JSON document with --json, the diff with --dry-run.
 */
import { createOutput, print, printDiagnostic, printJson } from '@deploysmith/cli-kit';
import { applyChanges } from '../changes/apply-changes.ts';
import type { Plan } from '../operations/plan.ts';
import type { SmudRepo } from '../repo/smud-repo.ts';
import type { EditOptions } from './options.ts';

export async function applyAndReport(repo: SmudRepo, plan: Plan, options: EditOptions): Promise<void> {
  const output = createOutput({ json: options.json === true });
  const message =
    options.message === undefined
      ? plan.message
      : `${options.message}\n${plan.message.slice(plan.message.indexOf('\n'))}`;
  const result = await applyChanges(repo, plan.changes, {
    message,
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    ...(options.branch === undefined ? {} : { branch: options.branch }),
  });
  const fields = plan.changes.fields();

  if (output.json) {
    printJson({
      command: plan.command,
      ...plan.summary,
      changed: result.files.length > 0,
      dryRun: result.dryRun,
      files: result.files,
      changes: fields,
      ...(result.dryRun ? { diff: result.diff } : {}),
      ...(result.commit === undefined ? {} : { commit: result.commit }),
      ...(result.branch === undefined ? {} : { branch: result.branch }),
    });
    return;
  }
  if (result.files.length === 0) {
    print('Nothing to change: the repository already says so.');
    return;
  }
  if (result.dryRun) {
    process.stdout.write(result.diff);
    printDiagnostic(`dry run: ${result.files.length} file(s) would change; nothing was written`);
    return;
  }
  const { color } = output;
  for (const field of fields) {
    print(
      `${field.file}  ${field.field}: ${color.dim(field.from ?? '(none)')} -> ${color.green(field.to ?? '(removed)')}`,
    );
  }
  if (result.commit !== undefined) {
    print(
      `committed ${result.commit.slice(0, 12)}${result.branch === undefined ? '' : ` on new branch ${result.branch}`}`,
    );
  } else {
    print(`wrote ${result.files.length} file(s); not committed (add --commit to commit)`);
  }
}
