/**
 * The sandbox's cost and its leaks: a dry run of a trivial hook in a fresh sandbox (start-up, the
 * run with its two state probes, tear-down) against the same run with the shims alone; then many
 * sandbox simulations in a row, counting what is left after them: sandbox holders (each one a set
 * of namespaces), host mounts, processes, this process's fds, hooksmith temp folders, and RSS.
 * Run alone: node out/bench/simulateSandbox.js [soak runs, default 1000]; `real-tools`: only the row of shimmed calls that run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runHook } from '../server/src/simulate/run';
import { pooledChannels } from '../server/src/simulate/shimFolder';
import { defaultLimits, keepSpareSandbox, openSandbox, spareReady } from '../server/src/simulate/sandbox/sandbox';
import { holderName } from '../server/src/simulate/sandbox/scripts';
import { createShims } from '../server/src/simulate/shims';
import { writeTrivialHook } from './simulateOverhead';
import { paths } from './paths';
import { formatMs, median, p95 } from './stats';
import { formatTable, Row, verdict } from './table';

const goals = { addedMs: 30 } as const;
const dash = '-';

interface Leaks {
  readonly holders: number;
  readonly mounts: number;
  readonly processes: number;
  readonly fds: number;
  readonly tempDirs: number;
  readonly rssMB: number;
}

async function sandboxRun(script: string, calls = 0): Promise<void> {
  const shims = createShims();
  const sandbox = await openSandbox({
    network: { device: 'tun0', addresses: ['10.0.0.42/24'] },
    readOnly: [path.dirname(script), ...shims.shown.filter((f) => !shims.perRun.includes(f))],
    perRun: shims.perRun,
    writable: [],
    home: os.homedir(),
    limits: defaultLimits,
  });
  try {
    const r = await runHook({ event: 'connect', script }, { sandbox, shims });
    if (r.exitCode !== 0 || !r.state) throw new Error(`sandbox run: exit ${r.exitCode} ${r.stderr}`);
    const ran = r.commands.filter((c) => c.sandbox?.ran && c.sandbox.exitCode === 0).length;
    if (ran !== calls) throw new Error(`sandbox run: ${ran} of ${calls} shimmed calls ran with exit 0`);
  } finally {
    sandbox.dispose();
    shims.dispose();
  }
}

async function shimsRun(script: string): Promise<void> {
  const r = await runHook({ event: 'connect', script });
  if (r.exitCode !== 0) throw new Error(`shims run: exit ${r.exitCode}`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function leaks(): Leaks {
  const pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  const holders = pids.filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === holderName;
    } catch {
      return false;
    }
  }).length;
  global.gc?.();
  return {
    holders,
    mounts: fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length,
    processes: pids.length,
    fds: fs.readdirSync('/proc/self/fd').length - pooledChannels(), // the shims' channel pool is a bounded cache
    tempDirs: fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('hooksmith-shims-')).length,
    rssMB: process.memoryUsage().rss / 1024 / 1024,
  };
}

/**
 * Sandbox start-up and tear-down per run, against shims alone; the modes take turns. A first run (the CLI's, the
 * language server's first) starts a fresh sandbox; a next run in the language server is served by the spare it started
 * once the last sandbox was disposed, while the user read the report: the bench waits until the spare is ready before
 * each such request (outside the time measured), as a user's pause of a second or more does.
 */
export async function sandboxCostRows(dir: string, runs = 30): Promise<Row[]> {
  const script = writeTrivialHook(dir);
  await sandboxRun(script); // warm-up: the shell parser, the tools' pages
  const fresh: number[] = [];
  const next: number[] = [];
  const shims: number[] = [];
  for (let i = 0; i < runs; i++) {
    fresh.push(await timed(() => sandboxRun(script)));
    shims.push(await timed(() => shimsRun(script)));
    keepSpareSandbox(true);
    await sandboxRun(script); // its disposal starts the spare
    if (!(await spareReady())) throw new Error('no spare sandbox was started');
    next.push(await timed(() => sandboxRun(script)));
    keepSpareSandbox(false);
  }
  const stats = (xs: number[]): string => `median ${formatMs(median(xs))}, p95 ${formatMs(p95(xs))}`;
  const added = (xs: number[]): number => median(xs) - median(shims);
  const row = (what: string, xs: number[]): Row => ({
    what,
    value: `${stats(xs)}; +${formatMs(added(xs))} median`,
    goal: `≤ ${goals.addedMs} ms added`,
    result: verdict(added(xs) <= goals.addedMs),
  });
  const cli = cliRuns(script, Math.max(5, Math.round(runs / 2)));
  const cliAdded = median(cli.sandbox) - median(cli.shims);
  return [
    { what: `dry run of a trivial hook with the shims alone (${runs} runs)`, value: stats(shims), goal: dash, result: dash },
    row(`first run, in a fresh sandbox: start-up, two state probes, tear-down (${runs} runs; the CLI, the server's first)`, fresh),
    row(`next run in the language server, in the spare it started while idle: claim, two probes, tear-down (${runs} runs)`, next),
    {
      what: `the CLI's whole \`simulate connect\` (start to exit) in a sandbox vs --isolation shims (${cli.sandbox.length} runs each)`,
      value: `median ${formatMs(median(cli.sandbox))} vs ${formatMs(median(cli.shims))}; +${formatMs(cliAdded)} median`,
      goal: `≤ ${goals.addedMs} ms added`,
      result: verdict(cliAdded <= goals.addedMs),
    },
  ];
}

/**
 * What a CLI user waits for: a whole `hooksmith simulate connect --script FILE` process in a sandbox (its start-up, the
 * hook's analysis and the parser's load overlapping it, the run, the report) and with the shims alone; the two take turns.
 */
function cliRuns(script: string, runs: number): { sandbox: number[]; shims: number[] } {
  const cli = path.join(paths.root, 'dist/cli.js');
  const once = (isolation: string): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'simulate', 'connect', '--script', script, '--isolation', isolation], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hooksmith simulate --isolation ${isolation}: exit ${r.status} ${r.stderr.slice(0, 500)}`);
    return performance.now() - t0;
  };
  once('sandbox'); // warm-up: the page cache
  const out = { sandbox: [] as number[], shims: [] as number[] };
  for (let i = 0; i < runs; i++) {
    out.sandbox.push(once('sandbox'));
    out.shims.push(once('shims'));
  }
  return out;
}

/** A hook with 10 shimmed calls (5 ip route add, 5 iptables -A) that really run in the sandbox, against the trivial hook there. */
export async function realToolRows(dir: string, runs = 10): Promise<Row[]> {
  const trivial = writeTrivialHook(dir);
  const script = path.join(dir, 'OnConnect_ten_calls.sh');
  const calls = [0, 1, 2, 3, 4].flatMap((i) => [
    `ip route add 192.168.${100 + i}.0/24 via 10.0.0.1 dev tun0`,
    `iptables -A INPUT -s 192.0.2.${i + 1}/32 -j DROP`,
  ]);
  fs.writeFileSync(script, ['#!/bin/sh', ...calls, ''].join('\n'), { mode: 0o755 });
  await sandboxRun(script, calls.length); // warm-up
  const ten: number[] = [];
  const none: number[] = [];
  for (let i = 0; i < runs; i++) {
    ten.push(await timed(() => sandboxRun(script, calls.length)));
    none.push(await timed(() => sandboxRun(trivial)));
  }
  const perCall = (median(ten) - median(none)) / calls.length;
  return [
    {
      what: `sandbox run with 10 shimmed ip/iptables calls that really run (${runs} runs; against a trivial hook there)`,
      value: `median ${formatMs(median(ten))} vs ${formatMs(median(none))}; ${formatMs(perCall)} per call`,
      goal: 'context',
      result: dash,
    },
  ];
}

/**
 * Many sandbox simulations in a row, as the language server makes them (each served by the spare the one before
 * started, and starting the next): nothing may be left behind but the one spare, there before and after.
 */
export async function sandboxSoakRows(dir: string, runs = 1000): Promise<Row[]> {
  const script = writeTrivialHook(dir);
  keepSpareSandbox(true);
  await sandboxRun(script);
  await spareReady();
  const before = leaks();
  let failures = 0;
  for (let i = 0; i < runs; i++) await sandboxRun(script).catch(() => void failures++);
  await spareReady();
  await new Promise((resolve) => setTimeout(resolve, 500)); // the last holder's exit
  const after = leaks();
  keepSpareSandbox(false);
  const what = (fact: string): string => `${runs.toLocaleString('en-US')} sandbox simulations in a row: ${fact}`;
  const trail = (pick: (l: Leaks) => number, digits = 0): string => `${pick(before).toFixed(digits)} → ${pick(after).toFixed(digits)}`;
  return [
    {
      what: what('sandbox holders (namespaces) alive, the spare included'),
      value: trail((l) => l.holders),
      goal: 'no growth',
      result: verdict(after.holders <= before.holders),
    },
    { what: what('host mounts'), value: trail((l) => l.mounts), goal: 'no growth', result: verdict(after.mounts <= before.mounts) },
    { what: what('processes on the machine (others run too)'), value: trail((l) => l.processes), goal: 'context', result: dash },
    { what: what('open fds'), value: trail((l) => l.fds), goal: 'no growth', result: verdict(after.fds <= before.fds) },
    {
      what: what('hooksmith-shims-* temp folders'),
      value: trail((l) => l.tempDirs),
      goal: 'no growth',
      result: verdict(after.tempDirs <= before.tempDirs),
    },
    {
      what: what('RSS'),
      value: `${trail((l) => l.rssMB, 1)} MB`,
      goal: '≤ 10 MB growth',
      result: verdict(after.rssMB - before.rssMB <= 10),
    },
    { what: what('runs that failed'), value: String(failures), goal: '0', result: verdict(failures === 0) },
  ];
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-bench-sandbox-'));
  const soakRuns = Number(process.argv[2] ?? 1000);
  (async () => {
    const rows =
      process.argv[2] === 'real-tools'
        ? await realToolRows(dir)
        : [...(await sandboxCostRows(dir)), ...(await sandboxSoakRows(dir, soakRuns))];
    process.stdout.write(formatTable(rows));
  })().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
