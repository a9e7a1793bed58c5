/**
 * The sandbox's cost and its leaks: a dry run of a trivial hook in a fresh sandbox (start-up, the
 * run with its two state probes, tear-down) against the same run with the shims alone; then many
 * sandbox simulations in a row, counting what is left after them: sandbox holders (each one a set
 * of namespaces), host mounts, processes, this process's fds, hooksmith temp folders, and RSS.
 * Run alone: node out/bench/simulateSandbox.js [soak runs, default 1000]; `real-tools`: only the row of shimmed calls that run;
 * `soak [runs]`: only the soak, with its samples (RSS and where it is, the JS heap, fds) line by line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { runHook } from '../server/src/simulate/run';
import { pooledChannels } from '../server/src/simulate/shimFolder';
import { defaultLimits, keepSpareSandbox, openSandbox, Sandbox, spareReady } from '../server/src/simulate/sandbox/sandbox';
import { holderName } from '../server/src/simulate/sandbox/scripts';
import { descendsFrom, openRecordCount } from '../server/src/simulate/shimChannel';
import { createShims, Shims } from '../server/src/simulate/shims';
import { writeTrivialHook } from './simulateOverhead';
import { paths } from './paths';
import { collector, zombieChildren } from './simulateSoak';
import { formatMs, laterGrowthPer1000, median, p95 } from './stats';
import { formatTable, Row, verdict } from './table';

const goals = { addedMs: 30 } as const;
const dash = '-';

interface Leaks {
  readonly holders: number;
  readonly mounts: number;
  readonly processes: number;
  readonly zombies: number;
  readonly fds: number;
  readonly tempDirs: number;
  /** Runs whose shim record is still open; libuv handles (timers, pipes, child processes) keeping the event loop alive. */
  readonly openRecords: number;
  readonly handles: number;
}

/** Runs `fn` in a sandbox of its own showing `folder` (and the shims), as a simulation does; both are disposed after. */
async function inSandbox<T>(folder: string, fn: (within: { sandbox: Sandbox; shims: Shims }) => Promise<T>): Promise<T> {
  const shims = createShims();
  try {
    const sandbox = await openSandbox({
      network: { device: 'tun0', addresses: ['10.0.0.42/24'] },
      readOnly: [folder, ...shims.shown.filter((f) => !shims.perRun.includes(f))],
      perRun: shims.perRun,
      writable: [],
      home: os.homedir(),
      limits: defaultLimits,
    });
    try {
      return await fn({ sandbox, shims });
    } finally {
      sandbox.dispose();
    }
  } finally {
    shims.dispose();
  }
}

async function sandboxRun(script: string, calls = 0): Promise<void> {
  await inSandbox(path.dirname(script), async (within) => {
    const r = await runHook({ event: 'connect', script }, within);
    if (r.exitCode !== 0 || !r.state) throw new Error(`sandbox run: exit ${r.exitCode} ${r.stderr}`);
    const ran = r.commands.filter((c) => c.sandbox?.ran && c.sandbox.exitCode === 0).length;
    if (ran !== calls) throw new Error(`sandbox run: ${ran} of ${calls} shimmed calls ran with exit 0`);
  });
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

/** What is left after the runs; `tmp`: the soak's own TMPDIR, so other programs' hooksmith-* folders do not count. */
function leaks(tmp: string): Leaks {
  const pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  // This process's holders only: other programs on the machine (tests, other benches) start sandboxes too.
  const holders = pids.filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === holderName && descendsFrom(Number(pid), process.pid);
    } catch {
      return false;
    }
  }).length;
  return {
    holders,
    mounts: fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length,
    processes: pids.length,
    zombies: zombieChildren(),
    fds: fs.readdirSync('/proc/self/fd').length - pooledChannels(), // the shims' channel pool is a bounded cache
    tempDirs: fs.readdirSync(tmp).filter((n) => n.startsWith('hooksmith-')).length,
    openRecords: openRecordCount(),
    handles: process.getActiveResourcesInfo().length,
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

interface SoakHooks {
  /** One shimmed call that really runs in the sandbox (a route on its tunnel). */
  readonly call: string;
  /** Leaves a process running: killed with the run's PID namespace. */
  readonly leaver: string;
  /** Ignores SIGTERM: killed after its grace. */
  readonly slow: string;
}

function writeSoakHooks(dir: string): SoakHooks {
  const write = (name: string, lines: string[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o755 });
    return file;
  };
  return {
    call: write('OnConnect_soak_call.sh', ['#!/bin/sh', 'echo "up $CISCO_VPN_USERNAME"', 'ip route add 10.9.0.0/16 dev tun0']),
    leaver: write('OnConnect_soak_leaver.sh', ['#!/bin/sh', 'sleep 60 >/dev/null 2>&1 &', 'exit 0']),
    slow: write('OnConnect_soak_slow.sh', ['#!/bin/sh', "trap '' TERM", 'sleep 60']),
  };
}

/** One run of the soak's mix, in a sandbox of its own (the spare): true when its report is as expected. */
async function soakRun(hooks: SoakHooks, i: number): Promise<boolean> {
  return inSandbox(path.dirname(hooks.call), async (within) => {
    if (i % 50 === 49) {
      const r = await runHook({ event: 'connect', script: hooks.slow }, { ...within, timeoutMs: 50, graceMs: 50 });
      return r.timedOut && r.survivors.length === 0;
    }
    if (i % 10 === 9) {
      const r = await runHook({ event: 'connect', script: hooks.leaver }, within);
      return r.exitCode === 0 && r.leftRunning.length === 1 && r.survivors.length === 0;
    }
    const r = await runHook({ event: 'connect', script: hooks.call, env: { CISCO_VPN_USERNAME: `user${i}` } }, within);
    return r.exitCode === 0 && r.stdout === `up user${i}\n` && r.commands.length === 1 && r.commands[0].sandbox?.ran === true;
  });
}

/** What the process holds at one point of the soak, after a GC (the JS heap in use is then only what is still reachable). */
interface SoakSample {
  readonly run: number;
  readonly rssMB: number;
  readonly rssAnonMB: number;
  readonly rssFileMB: number;
  /** Of RssAnon, malloc's: its main heap and the 64 MiB-aligned heaps of its thread arenas (see mallocRss). */
  readonly mallocMB: number;
  /** The JS heap in use, compiled code excluded (V8 compiles and optimises for a while; its code space is not data kept). */
  readonly heapMB: number;
  readonly codeMB: number;
  readonly heapTotalMB: number;
  readonly externalMB: number;
  readonly fds: number;
}

function soakSample(run: number, gc: () => void): SoakSample {
  gc();
  const mem = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kB = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
  const mb = (bytes: number): number => bytes / 2 ** 20;
  const spaces = v8.getHeapSpaceStatistics();
  const used = (code: boolean): number =>
    spaces.filter((x) => x.space_name.startsWith('code') === code).reduce((n, x) => n + x.space_used_size, 0);
  return {
    run,
    rssMB: mb(mem.rss),
    rssAnonMB: kB('RssAnon'),
    rssFileMB: kB('RssFile'),
    mallocMB: mallocRss() / 1024,
    heapMB: mb(used(false)),
    codeMB: mb(used(true)),
    heapTotalMB: mb(mem.heapTotal),
    externalMB: mb(mem.external),
    fds: fs.readdirSync('/proc/self/fd').length - pooledChannels(),
  };
}

/**
 * Resident kB of glibc malloc's heaps: the main arena's ([heap]) and each thread arena's, an anonymous read-write
 * mapping at a 64 MiB boundary (glibc aligns them so, to find a chunk's arena from its address). V8's own pages and
 * thread stacks are elsewhere; so this tells memory malloc holds (and may keep as free chunks) from the JS heap's.
 */
function mallocRss(): number {
  let kB = 0;
  let counted = false;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-[0-9a-f]+ (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (mapping) {
      const [, start, perms, inode, name] = mapping;
      counted = name === '[heap]' || (inode === '0' && name === '' && perms === 'rw-p' && BigInt(`0x${start}`) % (64n << 20n) === 0n);
    } else if (counted && line.startsWith('Rss:')) kB += Number(/\d+/.exec(line)?.[0] ?? 0);
  }
  return kB;
}

/** The pids cgroups this process made (one per sandbox, the spare's included) that are still there. */
function ownCgroups(): number {
  const prefix = `hooksmith-sandbox-${process.pid}-`;
  return ['/sys/fs/cgroup/pids', '/sys/fs/cgroup'].reduce((n, base) => {
    try {
      return n + fs.readdirSync(base).filter((name) => name.startsWith(prefix)).length;
    } catch {
      return n;
    }
  }, 0);
}

/** What the soak's trail shows, and its verdict on flatness. */
export interface SandboxSoak {
  readonly runs: number;
  readonly gc: string;
  readonly before: Leaks & { readonly cgroups: number };
  readonly after: Leaks & { readonly cgroups: number };
  readonly trail: readonly SoakSample[];
  readonly failures: number;
}

/**
 * Many sandbox simulations in a row, as the language server makes them (each served by the spare the one before
 * started, and starting the next), in a mix that takes every path of a run: a shimmed call that runs, every 10th a
 * process left running, every 50th a timeout. The process is sampled after a GC every 1/20th of the runs.
 */
export async function sandboxSoak(dir: string, runs = 1000): Promise<SandboxSoak> {
  const hooks = writeSoakHooks(dir);
  const { gc, how } = collector();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-sandbox-tmp-'));
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  keepSpareSandbox(true);
  try {
    await soakRun(hooks, 0);
    await spareReady();
    const before = { ...leaks(tmp), cgroups: ownCgroups() };
    const every = Math.max(1, Math.floor(runs / 20));
    const trail = [soakSample(0, gc)];
    let failures = 0;
    for (let i = 0; i < runs; i++) {
      if (!(await soakRun(hooks, i).catch(() => false))) failures++;
      if ((i + 1) % every === 0 || i === runs - 1) trail.push(soakSample(i + 1, gc));
    }
    await spareReady();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last holder's exit, its cgroup's removal (retried for 1 s)
    return { runs, gc: how, before, after: { ...leaks(tmp), cgroups: ownCgroups() }, trail, failures };
  } finally {
    keepSpareSandbox(false);
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Goals of the soak: growth per 1,000 runs once warmed up (see laterGrowthPer1000). */
export const soakGoals = { rssMBPer1000: 10, heapMBPer1000: 1 } as const;

export function sandboxSoakRows(s: SandboxSoak): Row[] {
  const what = (fact: string): string => `${s.runs.toLocaleString('en-US')} sandbox simulations in a row: ${fact}`;
  const trail = (pick: (l: SandboxSoak['before']) => number, digits = 0): string =>
    `${pick(s.before).toFixed(digits)} → ${pick(s.after).toFixed(digits)}`;
  const noGrowth = (fact: string, pick: (l: SandboxSoak['before']) => number): Row => ({
    what: what(fact),
    value: trail(pick),
    goal: 'no growth',
    result: verdict(pick(s.after) <= pick(s.before)),
  });
  const quarters = s.trail.filter((_, i) => i % 5 === 0 || i === s.trail.length - 1);
  const at = (pick: (x: SoakSample) => number, digits: number): string => quarters.map((x) => pick(x).toFixed(digits)).join(' → ');
  const growth = (pick: (x: SoakSample) => number): number => laterGrowthPer1000(s.trail.map((x) => ({ run: x.run, value: pick(x) })));
  const rssGrowth = growth((x) => x.rssMB);
  const heapGrowth = growth((x) => x.heapMB);
  const runsAt = quarters.map((x) => x.run).join(', ');
  return [
    noGrowth("this process's sandbox holders (namespaces) alive, the spare included", (l) => l.holders),
    noGrowth('host mounts', (l) => l.mounts),
    noGrowth("pids cgroups of this process (the spare's included)", (l) => l.cgroups),
    { what: what('processes on the machine (others run too)'), value: trail((l) => l.processes), goal: 'context', result: dash },
    noGrowth('zombie children (exited, never reaped)', (l) => l.zombies),
    noGrowth('open fds', (l) => l.fds),
    noGrowth("hooksmith-* temp folders in the soak's own TMPDIR", (l) => l.tempDirs),
    {
      what: what('open shim records; active handles (timers, pipes, processes)'),
      value: `${trail((l) => l.openRecords)}; ${trail((l) => l.handles)}`,
      goal: 'none open; no growth',
      result: verdict(s.after.openRecords === 0 && s.after.handles <= s.before.handles),
    },
    {
      what: what(`RSS after a GC, at runs ${runsAt}`),
      value: `${at((x) => x.rssMB, 1)} MB; ${signed(rssGrowth)} MB per 1,000 over the later half`,
      goal: `flat once warm: ≤ ${soakGoals.rssMBPer1000} MB per 1,000 runs over the later half`,
      result: verdict(rssGrowth <= soakGoals.rssMBPer1000),
    },
    {
      what: what('JS heap in use after a GC, compiled code excluded'),
      value: `${at((x) => x.heapMB, 2)} MB; ${signed(heapGrowth)} MB per 1,000 over the later half`,
      goal: `≤ ${soakGoals.heapMBPer1000} MB per 1,000 runs over the later half`,
      result: verdict(heapGrowth <= soakGoals.heapMBPer1000),
    },
    {
      what: what("where RSS is: V8 heap reserved, compiled code, external; anonymous (malloc's part) and file-backed RSS"),
      value:
        `heapTotal ${at((x) => x.heapTotalMB, 0)}; code ${at((x) => x.codeMB, 1)}; external ${at((x) => x.externalMB, 0)}; ` +
        `RssAnon ${at((x) => x.rssAnonMB, 0)}, of it malloc's ${at((x) => x.mallocMB, 0)}; RssFile ${at((x) => x.rssFileMB, 0)} MB`,
      goal: 'context',
      result: dash,
    },
    { what: what('runs whose report was not as expected'), value: String(s.failures), goal: '0', result: verdict(s.failures === 0) },
  ];
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
}

/** The soak's samples, one line each, for a run alone. */
export function formatTrail(s: SandboxSoak): string {
  const header = 'run    RSS  RssAnon  malloc  RssFile  heapUsed   code  heapTotal  external  fds';
  const lines = s.trail.map((x) =>
    [
      String(x.run).padStart(4),
      x.rssMB.toFixed(1).padStart(6),
      x.rssAnonMB.toFixed(1).padStart(8),
      x.mallocMB.toFixed(1).padStart(7),
      x.rssFileMB.toFixed(1).padStart(8),
      x.heapMB.toFixed(2).padStart(9),
      x.codeMB.toFixed(2).padStart(6),
      x.heapTotalMB.toFixed(1).padStart(10),
      x.externalMB.toFixed(1).padStart(9),
      String(x.fds).padStart(4),
    ].join(' '),
  );
  return [`Each sample after a GC (${s.gc}); MB, but fds`, header, ...lines].join('\n');
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-bench-sandbox-'));
  const [mode, count] = process.argv.slice(2);
  (async () => {
    if (mode === 'real-tools') return process.stdout.write(`${formatTable(await realToolRows(dir))}\n`);
    if (mode === 'soak') {
      const soak = await sandboxSoak(dir, Number(count ?? 1000));
      return process.stdout.write(`${formatTrail(soak)}\n\n${formatTable(sandboxSoakRows(soak))}\n`);
    }
    const cost = await sandboxCostRows(dir);
    return process.stdout.write(`${formatTable([...cost, ...sandboxSoakRows(await sandboxSoak(dir, Number(mode ?? 1000)))])}\n`);
  })().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
