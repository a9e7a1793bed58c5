/** The simulator's rows of the bench table: kill precision, engine overhead, 1,000 runs in a row. */
import * as os from 'node:os';
import * as path from 'node:path';
import { benchKillPrecision, KillPrecision, killSettings } from './simulateKill';
import { benchOverhead, Overhead } from './simulateOverhead';
import { realToolRows, sandboxCostRows, sandboxSoak, sandboxSoakRows } from './simulateSandbox';
import { benchSoak, ProcessFacts, Soak } from './simulateSoak';
import { formatMs, median, p95 } from './stats';
import { Row, verdict } from './table';

// RSS grows in steps while V8 enlarges its heap and the new pages are touched, then levels off: a
// leak shows as growth over the last 500 runs (5 MB = 10 KB a run). The heap in use: 1 KB a run.
const goals = { killLateMs: 50, overheadMs: 10, rssLaterGrowthMB: 5, heapGrowthMB: 1 } as const;
const dash = '-';

function killRows(k: KillPrecision): Row[] {
  const { timeoutMs, graceMs, treeSize } = killSettings;
  const late = (xs: number[]): string => `median ${formatMs(median(xs))}, max ${formatMs(Math.max(...xs))} late`;
  const left = k.seedLeftRunning.filter((n) => n > 0);
  return [
    {
      what:
        `runHook kill precision: ${treeSize}-process tree ignoring SIGTERM, timeout ${timeoutMs} ms + grace ${graceMs} ` +
        `ms → last member exited (FIFO EOF), ${k.engineLateMs.length} runs`,
      value: late(k.engineLateMs),
      goal: `max ≤ ${goals.killLateMs} ms`,
      result: verdict(Math.max(...k.engineLateMs) <= goals.killLateMs),
    },
    {
      what:
        `seed's design, simulated (timeout checked once a second, kill(pid) only): the script itself, ` +
        `${k.seedScriptLateMs.length} runs`,
      value: late(k.seedScriptLateMs),
      goal: 'comparison only',
      result: dash,
    },
    {
      what:
        `seed's design, simulated: the rest of the tree after its SIGKILL (computed for its own 60 s: time() seconds + ` +
        `a 1 s poll = 0–2 s late)`,
      value: `${left.length}/${k.seedLeftRunning.length} runs left ${Math.max(0, ...left)} of ${treeSize} running, never killed`,
      goal: 'comparison only',
      result: dash,
    },
  ];
}

function overheadRows(o: Overhead): Row[] {
  const base = median(o.direct);
  const stats = (xs: number[]): string => `median ${formatMs(median(xs))}, p95 ${formatMs(p95(xs))}`;
  const engine = (label: string, xs: number[]): Row => {
    const added = median(xs) - base;
    return {
      what: `runHook ${label}, same script (${o.runs} runs)`,
      value: `${stats(xs)}; +${formatMs(added)} median, +${formatMs(p95(xs) - p95(o.direct))} p95`,
      goal: `≤ ${goals.overheadMs} ms added (median)`,
      result: verdict(added <= goals.overheadMs),
    };
  };
  return [
    {
      what: `child_process.spawn of a trivial #!/bin/sh hook, pipes read to the end (${o.runs} runs)`,
      value: stats(o.direct),
      goal: dash,
      result: dash,
    },
    engine('dry run, making its own shim folder', o.dryRun),
    engine('dry run, reusing a shim folder (as a sequence does)', o.sharedShims),
    engine('live', o.live),
  ];
}

function soakRows(s: Soak): Row[] {
  const what = (fact: string): string => `${s.runs.toLocaleString('en-US')} runHook runs in a row: ${fact}`;
  const trail = (pick: (f: ProcessFacts) => number, digits = 0, unit = ''): string =>
    [s.before, s.halfway, s.after].map((f) => `${pick(f).toFixed(digits)}${unit}`).join(' → ');
  const grew = (pick: (f: ProcessFacts) => number): number => pick(s.after) - pick(s.before);
  const laterHalf = `${s.runs / 2} → ${s.runs}`;
  return [
    {
      what: what(`open fds (before → ${s.runs / 2} → ${s.runs})`),
      value: trail((f) => f.fds),
      goal: 'no growth',
      result: verdict(grew((f) => f.fds) <= 0),
    },
    {
      what: what(`RSS after a GC (${s.gc}), after ${s.warmUp} warm-up runs`),
      value: trail((f) => f.rssMB, 1, ' MB'),
      goal: `levels off: ≤ ${goals.rssLaterGrowthMB} MB over ${laterHalf}`,
      result: verdict(s.after.rssMB - s.halfway.rssMB <= goals.rssLaterGrowthMB),
    },
    {
      what: what('heap V8 reserved (heapTotal; its growth is most of the RSS growth)'),
      value: trail((f) => f.heapTotalMB, 1, ' MB'),
      goal: 'context',
      result: dash,
    },
    {
      what: what('JS heap in use after a GC'),
      value: trail((f) => f.heapMB, 2, ' MB'),
      goal: `growth ≤ ${goals.heapGrowthMB} MB`,
      result: verdict(grew((f) => f.heapMB) <= goals.heapGrowthMB),
    },
    { what: what('zombie children'), value: trail((f) => f.zombies), goal: '0', result: verdict(s.after.zombies === 0) },
    { what: what('hooksmith-* temp folders left'), value: trail((f) => f.tempDirs), goal: '0', result: verdict(s.after.tempDirs === 0) },
    { what: what('runs whose report was not as expected'), value: String(s.failures), goal: '0', result: verdict(s.failures === 0) },
  ];
}

/** Timing on a shared machine depends on its load: the row says what it was. */
function loadRow(before: number, after: number): Row {
  return {
    what: `machine load during the simulator rows (1-minute load average, ${os.cpus().length} CPUs)`,
    value: `${before.toFixed(2)} → ${after.toFixed(2)}`,
    goal: 'context',
    result: dash,
  };
}

export async function simulationRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  const dir = path.join(outDir, 'simulate');
  const loadBefore = os.loadavg()[0];
  progress('simulator: kill precision (20 runs of the engine, 20 of the seed design simulated)');
  const kill = await benchKillPrecision(dir);
  progress('simulator: overhead against a direct spawn (200 runs of each mode)');
  const overhead = await benchOverhead(dir);
  progress('simulator: 1,000 runs in a row');
  const soak = await benchSoak(dir);
  progress('simulator: sandbox start-up and tear-down against shims alone, first and next runs (30 runs of each)');
  const sandboxCost = await sandboxCostRows(dir);
  progress('simulator: a sandbox run with 10 shimmed calls that really run (10 runs)');
  const realTools = await realToolRows(dir);
  progress('simulator: 1,000 sandbox simulations in a row');
  const sandboxSoakRun = sandboxSoakRows(await sandboxSoak(dir));
  return [
    loadRow(loadBefore, os.loadavg()[0]),
    ...killRows(kill),
    ...overheadRows(overhead),
    ...soakRows(soak),
    ...sandboxCost,
    ...realTools,
    ...sandboxSoakRun,
  ];
}
