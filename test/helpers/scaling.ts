/**
 * Tells linear work from quadratic without a time limit: the CPU time one unit of input costs at a
 * large size, divided by what it costs at a small one, for the same code. Linear work gives about 1
 * on any machine and under any load (both sizes slow down alike); quadratic work gives about
 * large/small.
 */
import { cpuMs } from './cpuTime';

/**
 * `run(size)` does the work for an input of `size` units; it is repeated so that both sizes do about
 * `units` units in all, and the cheapest of three trials counts (a stall only makes a trial dearer).
 * A trial at the large size stops once it has cost `cap` times the small size's trial: the ratio is
 * then known to be over `cap`, and quadratic code does not take minutes to fail.
 */
export function costGrowth(run: (size: number) => void, small: number, large: number, units: number, cap = 8): number {
  const smallCost = cheapest(() => trial(run, small, units, Infinity));
  return cheapest(() => trial(run, large, units, cap * smallCost)) / smallCost;
}

/** The CPU ms per unit of one trial, or (when cut off at `limit`) a lower bound of it. */
function trial(run: (size: number) => void, size: number, units: number, limit: number): number {
  const reps = Math.max(1, Math.round(units / size));
  let done = 0;
  const { ms } = cpuMs(() => {
    const start = process.cpuUsage();
    for (; done < reps; done++) {
      run(size);
      const used = process.cpuUsage(start);
      if ((used.user + used.system) / 1000 / ((done + 1) * size) > limit) {
        done++;
        break;
      }
    }
  });
  return ms / (done * size);
}

function cheapest(measure: () => number): number {
  return Math.min(measure(), measure(), measure());
}
