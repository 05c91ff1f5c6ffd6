import { createOutput, print, printJson } from '@deploysmith/cli-kit';
import { EXIT } from '@deploysmith/core';
import { runDoctor } from '../../operations/doctor.ts';
import { openRepo } from '../../repo/smud-repo.ts';
import type { DoctorOptions } from './index.ts';

export async function doctor(options: DoctorOptions): Promise<void> {
  const output = createOutput({ json: options.json === true });
  const repo = await openRepo(options.repo);
  const report = await runDoctor(repo, {
    ...(options.manifest === undefined ? {} : { manifest: options.manifest }),
    ...(options.stage === undefined ? {} : { stage: options.stage }),
  });
  // Findings are the result, not a failure of the command: report them, then set the exit code.
  if (report.errors > 0) process.exitCode = EXIT.invalidInput;
  if (output.json) {
    printJson(report);
    return;
  }
  const { color } = output;
  for (const finding of report.findings) {
    const label = finding.severity === 'error' ? color.red('error') : color.yellow('warning');
    print(
      `${label} [${finding.check}] ${finding.file === undefined ? '' : `${finding.file}: `}${finding.message}`,
    );
  }
  print(
    report.findings.length === 0
      ? 'No problems found.'
      : `${report.errors} error(s), ${report.warnings} warning(s).`,
  );
}
