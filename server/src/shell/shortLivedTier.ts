import * as v8 from 'node:v8';

/**
 * For a process that lints and exits: V8 compiles the shell grammar's WebAssembly with its
 * baseline compiler (Liftoff) and then recompiles it with the optimising one in the background,
 * and node waits for that at exit: about a second of CPU for a run that needed 50 ms. Liftoff
 * alone parses more slowly, which a short run never notices. Must run before the grammar is
 * compiled; the language server, which lives long, keeps the optimising tier.
 */
export function compileWasmForShortRun(): void {
  v8.setFlagsFromString('--liftoff-only');
}
