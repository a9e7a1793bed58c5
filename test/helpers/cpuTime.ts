/**
 * The CPU time (user + system, in ms) this process spent running `run`: for tests that tell linear
 * from quadratic work. Unlike the wall clock it does not grow when other processes take the CPU, so
 * a bound of seconds holds on a loaded machine; a quadratic path still takes seconds or minutes.
 */
export function cpuMs<T>(run: () => T): { readonly result: T; readonly ms: number } {
  const before = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(before);
  return { result, ms: (used.user + used.system) / 1000 };
}
