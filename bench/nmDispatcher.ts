/**
 * The NetworkManager dispatcher family's rows: the example's three scripts linted in-process, and
 * one simulated action (vpn-up, one script in dispatcher.d) in shims mode against a bare exec of
 * the same script with $1 and $2, as NetworkManager runs it. The two take turns, so load from
 * elsewhere falls on both.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { hookFileOnDisk, lintHook } from '../server/src/hooks/lintHook';
import { loadShellParser } from '../server/src/shell/parser';
import { simulate } from '../server/src/simulate/simulate';
import { formatMs, median, p95, sample } from './stats';
import { paths } from './paths';
import { formatTable, Row, verdict } from './table';

const goals = { lintMs: 5, eventMs: 10 } as const;
const dash = '-';
const example = path.resolve(__dirname, '../../examples/nm-dispatcher/NetworkManager/dispatcher.d');
const exampleFiles = ['90-corp-vpn', 'pre-down.d/10-corp-vpn-unmount', 'no-wait.d/50-corp-vpn-sync'].map((f) => path.join(example, f));

/** Median ms of linting the example's three scripts (read once; recognition, file and content rules). */
export async function benchNmLint(runs = 200): Promise<{ ms: number[]; findings: number }> {
  await loadShellParser();
  const hooks = exampleFiles.map((f) => hookFileOnDisk(f, fs.readFileSync(f, 'utf8')));
  const lintAll = (): number => hooks.reduce((n, h) => n + (lintHook(h)?.findings.length ?? Number.NaN), 0);
  for (let i = 0; i < 20; i++) lintAll();
  return { ms: sample(runs, lintAll), findings: lintAll() };
}

function bareExec(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(script, ['tun0', 'vpn-up'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: '/',
      env: { NM_DISPATCHER_ACTION: 'vpn-up' },
    });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

async function simulated(dir: string): Promise<void> {
  const report = await simulate({ kind: 'nm-dispatcher', events: ['vpn-up'], dir, isolation: 'shims' });
  if (!report.ok) throw new Error(`simulate nm-dispatcher: ${JSON.stringify(report.runs[0])}`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** One action simulated in shims mode, and the bare exec, `runs` times each after a warm-up. */
export async function benchNmEvent(outDir: string, runs = 100, warmUp = 5): Promise<{ bare: number[]; simulated: number[] }> {
  const dir = path.join(outDir, 'NetworkManager', 'dispatcher.d');
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, '90-bench');
  fs.writeFileSync(script, '#!/bin/sh\ncase "$2" in\n\tvpn-up) logger -t nm "up on $1" ;;\nesac\n');
  fs.chmodSync(script, 0o755);
  const times = { bare: [] as number[], simulated: [] as number[] };
  for (let i = 0; i < warmUp + runs; i++) {
    const b = await timed(() => bareExec(script));
    const s = await timed(() => simulated(dir));
    if (i >= warmUp) {
      times.bare.push(b);
      times.simulated.push(s);
    }
  }
  return times;
}

export async function nmDispatcherRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  progress('timing lintHook on the NetworkManager dispatcher example');
  const lint = await benchNmLint();
  progress('timing one simulated NetworkManager dispatcher action against a bare exec');
  const event = await benchNmEvent(path.join(outDir, 'nm'));
  const lintMs = median(lint.ms);
  const added = median(event.simulated) - median(event.bare);
  const stats = (xs: number[]): string => `median ${formatMs(median(xs))}, p95 ${formatMs(p95(xs))}`;
  return [
    {
      what: `nm-dispatcher: lintHook of examples/nm-dispatcher (3 scripts, ${lint.findings} findings; median of ${lint.ms.length})`,
      value: formatMs(lintMs),
      goal: `≤ ${goals.lintMs} ms`,
      result: verdict(lintMs <= goals.lintMs),
    },
    {
      what: `nm-dispatcher: exec of a small script with $1 $2, pipes read (${event.bare.length} runs)`,
      value: stats(event.bare),
      goal: dash,
      result: dash,
    },
    {
      what: `nm-dispatcher: simulate one action (vpn-up), shims mode, same script (${event.simulated.length} runs)`,
      value: `${stats(event.simulated)}; +${formatMs(added)} median`,
      goal: `≤ ${goals.eventMs} ms added (median)`,
      result: verdict(added <= goals.eventMs),
    },
  ];
}

/** `node out/bench/nmDispatcher.js`: these rows alone. */
if (require.main === module) {
  void (async () => {
    const rows = await nmDispatcherRows(paths.outDir, (m) => process.stderr.write(`bench: ${m}\n`));
    process.stdout.write(`${formatTable(rows)}\n`);
  })();
}
