import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatMs, median } from './stats';
import { Row, verdict } from './table';

/** The floor a simulated run is measured against: `sh script`, output drained, nothing else. */
export function bareSh(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', [script], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * One simulated event of a family (shims mode: shim folder, environment, arguments, runLaunch)
 * against `sh script` on the same script, taking turns; the row is the difference of the medians.
 */
export async function simulatedVsBare(
  what: string,
  script: { readonly file: string; readonly text: string },
  simulate: (file: string) => Promise<void>,
  goalMs: number,
  runs = 40,
  warmUp = 5,
): Promise<Row> {
  fs.mkdirSync(path.dirname(script.file), { recursive: true });
  fs.writeFileSync(script.file, script.text, { mode: 0o755 });
  const sim: number[] = [];
  const sh: number[] = [];
  for (let i = 0; i < warmUp + runs; i++) {
    const a = await timed(() => simulate(script.file));
    const b = await timed(() => bareSh(script.file));
    if (i >= warmUp) {
      sim.push(a);
      sh.push(b);
    }
  }
  const over = median(sim) - median(sh);
  return {
    what: `${what}, shims mode, vs bare sh (medians of ${runs}: ${formatMs(median(sim))} vs ${formatMs(median(sh))})`,
    value: `+${formatMs(over)}`,
    goal: `≤ +${goalMs} ms`,
    result: verdict(over <= goalMs),
  };
}
