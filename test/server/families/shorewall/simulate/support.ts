// Shorewall confdirs for the simulation tests, inside the sandbox's folder (removed with it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ShorewallCommand, ShorewallRequest, ShorewallRun } from '../../../../../server/src/families/shorewall/request';
import type { SimulationReport } from '../../../../../server/src/protocol';
import { simulate as simulateRequest } from '../../../../../server/src/simulate/simulate';
import type { SimulationHooks } from '../../../../../server/src/simulate/simulationHooks';
import { simulationSandbox } from '../../../simulate/support';

export type Box = ReturnType<typeof simulationSandbox>;

let count = 0;

/** A fresh confdir holding `files` (name → lines), hooks as Shorewall has them: mode 0644, no #! needed. */
export function confdir(box: Box, files: Readonly<Record<string, readonly string[]>>): string {
  const dir = path.join(box.dir, `confdir-${++count}`);
  fs.mkdirSync(dir);
  for (const [name, lines] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n', { mode: 0o644 });
  return dir;
}

/** Runs a simulation with every process group tracked for the after-test check. */
export function simulate(
  box: Box,
  dir: string,
  command: ShorewallCommand,
  extra: Partial<ShorewallRequest> = {},
  opts: SimulationHooks = {},
): Promise<SimulationReport> {
  return simulateRequest(
    { kind: 'shorewall', command, confdir: dir, ...extra },
    { ...opts, onSpawn: (pgid) => (box.track(pgid), opts.onSpawn?.(pgid)) },
  );
}

/** The report's runs as Shorewall runs (the kind is shorewall). */
export function runsOf(report: SimulationReport): ShorewallRun[] {
  return report.runs as ShorewallRun[];
}

/** The run of a hook; fails the test when it did not run. */
export function runOf(report: SimulationReport, hook: string): ShorewallRun {
  const run = runsOf(report).find((r) => r.hook === hook);
  if (!run) throw new Error(`${hook} did not run: ${JSON.stringify(report.runs.map((r) => r.label))}`);
  return run;
}

/** The argv of each call a hook's shims recorded (what the sandbox did with them aside). */
export function argvs(report: SimulationReport, hook: string): string[][] {
  return runOf(report, hook).commands.map((c) => c.argv);
}
