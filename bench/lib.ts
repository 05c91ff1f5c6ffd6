/**
 * What every benchmark shares: run a subject and its baseline side by side in the same process
 * run, take medians, print the ratio against the target. Nothing here asserts; it measures.
 */
import { availableParallelism } from 'node:os';
import { execa, execaSync, type Options } from 'execa';
import { findTool } from '../packages/testkit/src/tools.ts';

export interface Sample {
  medianMs: number;
  p99Ms: number;
  runs: number;
}

/** Runs `work` `runs` times after `warmup` unmeasured runs; returns the median and p99 in ms. */
export async function measure(work: () => Promise<unknown>, runs = 20, warmup = 3): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { medianMs: at(0.5), p99Ms: at(0.99), runs };
}

/** Measures subject and baseline interleaved, so machine noise hits both alike. */
export async function compare(
  subject: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  runs = 20,
): Promise<{ subject: Sample; baseline: Sample }> {
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 3; i++) {
    await subject();
    await baseline();
  }
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    await subject();
    s.push(performance.now() - started);
    started = performance.now();
    await baseline();
    b.push(performance.now() - started);
  }
  const summary = (times: number[]): Sample => {
    times.sort((x, y) => x - y);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
    return { medianMs: at(0.5), p99Ms: at(0.99), runs };
  };
  return { subject: summary(s), baseline: summary(b) };
}

/**
 * Gives servers under load a core of their own: this process (the load generator) moves to the
 * other cores, and `serverPrefix` starts a server on the last one. Unpinned, where the scheduler
 * puts the two decides a throughput ratio more than the server does. No pinning on one core or
 * without `taskset`.
 */
export function pinLoadApartFromServers(): { serverPrefix: string[]; unpin(): void } {
  const taskset = findTool('taskset');
  const last = availableParallelism() - 1;
  if (taskset === undefined || last < 1) return { serverPrefix: [], unpin: () => undefined };
  const pin = (cores: string) =>
    execaSync(taskset, ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' });
  pin(`0-${last - 1}`);
  return { serverPrefix: [taskset, '-c', String(last)], unpin: () => pin(`0-${last}`) };
}

/** Runs a command to completion, throwing when it fails (a failing subject is not a measurement). */
export async function run(command: string, args: string[], options: Options = {}): Promise<void> {
  await execa(command, args, { stdio: 'ignore', ...options });
}

export interface Row {
  name: string;
  subject: string;
  baseline: string;
  /** subject / baseline (lower is better) unless `higherIsBetter`. */
  ratio: number;
  target: string;
  ok: boolean;
}

const rows: Row[] = [];

/** Records a result line; `report()` prints them as one table at the end. */
export function record(row: Row): void {
  rows.push(row);
  const mark = row.ok ? 'ok  ' : 'MISS';
  console.log(
    `${mark} ${row.name}: ${row.subject} vs ${row.baseline} → ratio ${row.ratio.toFixed(2)} (target ${row.target})`,
  );
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
