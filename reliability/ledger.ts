/**
 * The figures of one `vitest run --project reliability`, across its files. Each file runs in its
 * own worker process, so the parts meet in a folder named for the vitest main process (every
 * worker's parent): each part adds its figures, its captured output and the keys it made; the part
 * that completes the set prints the whole table and checks every log of the suite for every key.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLeaks } from './leaks.ts';

export const PARTS = ['load', 'crash', 'faults', 'corpus', 'auth'] as const;
export type Part = (typeof PARTS)[number];

export interface PartFigures {
  part: Part;
  /** Requests and commands that did real work (publishes, deploys, probes, hostile inputs). */
  operations: number;
  /** Crashes, faults and hostile inputs thrown at the system on purpose. */
  failuresInjected: number;
  /** Hostile or unauthorised inputs tried. */
  inputsTried: number;
  /** Published versions, deploys or files that went missing or wrong: must be 0. */
  lost: number;
  seconds: number;
  /** One-line facts worth reading next to the table (throughput, latencies, how a fault was made). */
  notes: string[];
}

const runDir = join(tmpdir(), `deploysmith-reliability-${process.ppid}`);

/** Adds this part's figures, output and keys to the run; prints the table of what the run has so far. */
export async function recordPart(
  figures: PartFigures,
  evidence: { outputs: Record<string, string>; keys: string[] },
): Promise<void> {
  await mkdir(join(runDir, 'logs'), { recursive: true });
  await writeFile(join(runDir, `${figures.part}.json`), JSON.stringify(figures));
  await writeFile(join(runDir, `${figures.part}.keys.json`), JSON.stringify(evidence.keys));
  for (const [name, text] of Object.entries(evidence.outputs)) {
    await writeFile(
      join(runDir, 'logs', `${figures.part}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`),
      text,
    );
  }
  const parts = await recordedParts();
  console.log(summaryTable(parts));
  if (parts.length === PARTS.length) {
    const leaks = await suiteLeaks();
    await rm(runDir, { recursive: true, force: true });
    if (leaks.length > 0) throw new Error(`API keys found in the suite's output:\n${leaks.join('\n')}`);
    console.log('Whole suite: no API key found in any smithd log or CLI output.');
  }
}

async function recordedParts(): Promise<PartFigures[]> {
  const parts: PartFigures[] = [];
  for (const part of PARTS) {
    const text = await readFile(join(runDir, `${part}.json`), 'utf8').catch(() => undefined);
    if (text !== undefined) parts.push(JSON.parse(text) as PartFigures);
  }
  return parts;
}

/** Every key any part made, searched in every log any part captured. */
async function suiteLeaks(): Promise<string[]> {
  const keys: string[] = [];
  for (const part of PARTS) {
    const text = await readFile(join(runDir, `${part}.keys.json`), 'utf8').catch(() => '[]');
    keys.push(...(JSON.parse(text) as string[]));
  }
  const outputs: Record<string, string> = {};
  for (const name of await readdir(join(runDir, 'logs'))) {
    outputs[name] = await readFile(join(runDir, 'logs', name), 'utf8');
  }
  return findLeaks(outputs, keys);
}

export function summaryTable(parts: PartFigures[]): string {
  const header = ['part', 'operations', 'failures injected', 'inputs tried', 'lost', 'seconds'];
  const rows = parts.map((p) => [
    p.part,
    String(p.operations),
    String(p.failuresInjected),
    String(p.inputsTried),
    String(p.lost),
    p.seconds.toFixed(0),
  ]);
  const total = (pick: (p: PartFigures) => number) => String(parts.reduce((sum, p) => sum + pick(p), 0));
  rows.push([
    'total',
    total((p) => p.operations),
    total((p) => p.failuresInjected),
    total((p) => p.inputsTried),
    total((p) => p.lost),
    parts.reduce((sum, p) => sum + p.seconds, 0).toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const missing = PARTS.filter((part) => !parts.some((p) => p.part === part));
  return [
    `DeploySmith reliability suite — ${missing.length === 0 ? 'all parts' : `parts so far (not run yet in this run: ${missing.join(', ')})`}`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    ...parts.flatMap((p) => p.notes.map((note) => `  ${p.part}: ${note}`)),
  ].join('\n');
}
