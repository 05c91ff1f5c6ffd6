/**
 * How a CLI ends on an error: one readable line with the code, what to do next, the details, and
 * the exit code of the table in @deploysmith/core. A bug (anything not a DeploySmithError) prints
 * its stack and asks to be reported.
 */
import { DeploySmithError, EXIT, exitCodeFor } from '@deploysmith/core';
import type { Output } from './output.ts';

const REPORT_URL = 'https://github.com/deploysmith/deploysmith/issues';

export function reportError(error: unknown, output: Output): number {
  const { color } = output;
  if (!(error instanceof DeploySmithError)) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${color.red('internal error:')} ${stack}\n`);
    process.stderr.write(`This is a bug in DeploySmith. Please report it at ${REPORT_URL}\n`);
    if (output.json)
      process.stdout.write(`${JSON.stringify({ error: { code: 'internal', message: String(error) } })}\n`);
    return EXIT.internal;
  }
  if (output.githubActions) {
    process.stderr.write(`::error title=${error.code}::${escapeAnnotation(error.message)}\n`);
    // One more annotation per problem in a file, so GitHub shows it on that file and line.
    for (const detail of error.details) {
      if (detail.file === undefined) continue;
      const line = detail.line === undefined ? '' : `,line=${detail.line}`;
      process.stderr.write(
        `::error file=${escapeProperty(detail.file)}${line},title=${error.code}::${escapeAnnotation(detail.message)}\n`,
      );
    }
  }
  process.stderr.write(`${color.red('error:')} ${error.message} ${color.dim(`[${error.code}]`)}\n`);
  for (const detail of error.details) {
    const where = [detail.file, detail.line].filter((part) => part !== undefined).join(':');
    const prefix = where === '' ? '' : `${where}: `;
    const field = detail.field === undefined ? '' : ` (${detail.field})`;
    process.stderr.write(`  ${prefix}${detail.message}${field}\n`);
  }
  if (error.hint !== undefined) process.stderr.write(`${color.yellow('hint:')} ${error.hint}\n`);
  if (output.json) process.stdout.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
  return exitCodeFor(error);
}

/** GitHub's workflow commands end at a newline; % and line breaks must be escaped. */
function escapeAnnotation(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Annotation properties also end at "," and ":". */
function escapeProperty(text: string): string {
  return escapeAnnotation(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
