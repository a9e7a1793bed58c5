import * as v8 from 'node:v8';

/**
 * V8's settings for a process that lints and exits, set before the bundle is loaded, as the
 * WebAssembly tier is (the code cache is checked against the flags, so they are the same on every
 * run). They were measured in whole `hooksmith lint` processes.
 */
export function tuneV8ForShortRun(): void {
  // Once the young generation must grow, it grows sixteen-fold instead of two-fold: the lint then
  // meets the two scavenges of start-up only, not two more while the profile is read, each one
  // copying the start-up objects again. Memory: at most node's usual cap on the young generation.
  v8.setFlagsFromString('--semi-space-growth-factor=16');
  // TurboFan compiles each hot function alone, without inlining its callees: on the large profile
  // its threads used 37 ms of CPU instead of 69 (the scanner's functions with the validator inlined
  // made graphs of 15 to 20 ms each), for the same time on the main thread (59 ms). A short run
  // has no time to repay the bigger graphs, and on a busy machine those threads compete for the CPU.
  v8.setFlagsFromString('--no-turbo-inlining');
  // No Sparkplug: its baseline code is compiled on the main thread, in batches, for functions that
  // ran a while, and a run that ends some 40 ms later seldom wins back the time (it is not in the
  // code cache either). Alternating whole processes, a lint of one small hook used about 3 ms less
  // CPU without it, and one of the large profile the same (TurboFan still compiles its hot loops).
  v8.setFlagsFromString('--no-sparkplug');
}
