/** Latency percentiles, throughput and a seeded random source (the seed is printed, so a run can be replayed). */

export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** `n ops in s (x/s), p50 a ms, p99 b ms`. */
export function describeLatency(what: string, samples: number[], seconds?: number): string {
  const rate =
    seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(1)}/s)`;
  return `${what}: ${samples.length}${rate}, p50 ${percentile(samples, 0.5).toFixed(0)} ms, p99 ${percentile(samples, 0.99).toFixed(0)} ms`;
}

export interface Random {
  seed: number;
  /** [0, 1) */
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, good enough to choose test actions; `RELIABILITY_SEED` replays a run. */
export function seededRandom(
  seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31)),
): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (below) => Math.floor(next() * below),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}
