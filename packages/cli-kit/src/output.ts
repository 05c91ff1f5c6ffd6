/**
 * Output that fits where it runs: colours and spinners on a terminal; plain lines in CI or when
 * piped; with --json, one JSON document on stdout and nothing else. Diagnostics go to stderr.
 */
import { stripVTControlCharacters } from 'node:util';
import { Chalk, type ChalkInstance } from 'chalk';

export interface Output {
  /** --json: stdout holds exactly one JSON document. */
  json: boolean;
  /** stdout is a terminal and this is not CI: tables, spinners and prompts are fine. */
  interactive: boolean;
  /** Running under GitHub Actions: errors become ::error annotations. */
  githubActions: boolean;
  /** Colours for stdout and stderr (NO_COLOR, FORCE_COLOR, TTY and CI respected). */
  color: ChalkInstance;
}

export interface OutputOptions {
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  stdoutIsTTY?: boolean;
}

export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
}

export function createOutput(options: OutputOptions = {}): Output {
  const env = options.env ?? process.env;
  const tty = options.stdoutIsTTY ?? process.stdout.isTTY === true;
  const interactive = tty && !isCI(env);
  return {
    json: options.json ?? false,
    interactive,
    githubActions: env.GITHUB_ACTIONS === 'true',
    color: new Chalk({ level: colorLevel(env, interactive) }),
  };
}

function colorLevel(env: NodeJS.ProcessEnv, interactive: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  return interactive ? 1 : 0;
}

/** Writes one JSON document to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A line for the reader on stdout (results), or stderr (`diagnostic`). */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printDiagnostic(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Columns padded to the widest cell; ANSI colours do not count towards the width. */
export function formatTable(headers: string[], rows: string[][], output?: Output): string {
  const width = (s: string) => stripVTControlCharacters(s).length;
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => width(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - width(cell)),
      )
      .join('  ')
      .trimEnd();
  const head = output ? output.color.bold(line(headers)) : line(headers);
  return [head, ...rows.map(line)].join('\n');
}

/** "3m ago", "2h ago", "5d ago": ages in tables. */
export function formatAge(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
