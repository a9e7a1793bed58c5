import { performance } from 'node:perf_hooks';

/** The q-quantile (0..1) of `samples`, nearest-rank on a sorted copy. */
export function quantile(samples: readonly number[], q: number): number {
  if (!samples.length) throw new Error('quantile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);
export const p95 = (samples: readonly number[]): number => quantile(samples, 0.95);

/** Milliseconds `fn` took, and what it returned. */
export function timed<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

/** Runs `fn` `runs` times and returns each run's milliseconds. */
export function sample(runs: number, fn: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timed(fn).ms);
  return times;
}

/**
 * Wall times of `ours` and of `theirs` (when given), run in turns, `runs` times each after one
 * warm-up of each: both series meet the same load, so their ratio holds on a busy machine, where
 * two series taken a minute apart can differ by more than what they compare.
 */
export function alternating(runs: number, ours: () => unknown, theirs?: () => unknown): { ours: number[]; theirs?: number[] } {
  ours();
  theirs?.();
  const times: { ours: number[]; theirs?: number[] } = { ours: [], theirs: theirs && [] };
  for (let i = 0; i < runs; i++) {
    times.ours.push(timed(ours).ms);
    if (theirs) times.theirs?.push(timed(theirs).ms);
  }
  return times;
}

export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * The Theil–Sen slope of ys over xs: the median of the slopes between every two points. One sample
 * taken while V8 or the allocator happened to hold a few pages more moves it little, as a
 * least-squares line would not.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) slopes.push((ys[j] - ys[i]) / (xs[j] - xs[i]));
  }
  return median(slopes);
}

/**
 * How much a measure grows per 1,000 runs once warmed up: the Theil–Sen slope over the samples of
 * the later half of the runs. The first half is the warm-up a long-lived process pays once (V8
 * sizing its heap, malloc arenas, optimised code); a leak grows with every run, in both halves.
 */
export function laterGrowthPer1000(samples: readonly { readonly run: number; readonly value: number }[]): number {
  const last = Math.max(...samples.map((s) => s.run));
  const later = samples.filter((s) => s.run >= last / 2);
  return (
    theilSen(
      later.map((s) => s.run),
      later.map((s) => s.value),
    ) * 1000
  );
}
