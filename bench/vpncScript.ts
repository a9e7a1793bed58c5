/**
 * The vpnc-script family's rows: the example (its script, named by the unit beside it, and its
 * two hook-folder files) linted in-process, and one simulated reason in shims mode against a
 * bare `sh -c` of the same script. The two take turns, so load from elsewhere falls on both.
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
const example = path.resolve(__dirname, '../../examples/vpnc-script');
const exampleFiles = ['split-routes', 'vpnc/connect.d/50-block-lan', 'vpnc/disconnect.d/50-block-lan'].map((f) => path.join(example, f));

/** Median ms of linting the example's three files (read once; recognition, content rules). */
export async function benchVpncLint(runs = 200): Promise<{ ms: number[]; findings: number }> {
  await loadShellParser();
  const hooks = exampleFiles.map((f) => hookFileOnDisk(f, fs.readFileSync(f, 'utf8')));
  const lintAll = (): number => hooks.reduce((n, h) => n + (lintHook(h)?.findings.length ?? Number.NaN), 0);
  for (let i = 0; i < 20; i++) lintAll();
  return { ms: sample(runs, lintAll), findings: lintAll() };
}

function bareSh(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { reason: 'connect' } });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

async function simulated(script: string): Promise<void> {
  const report = await simulate({ kind: 'vpnc-script', events: ['connect'], script, isolation: 'shims' });
  if (!report.ok) throw new Error(`simulate vpnc-script: ${JSON.stringify(report.runs[0])}`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** One reason simulated in shims mode, and the bare sh -c run, `runs` times each after a warm-up. */
export async function benchVpncEvent(dir: string, runs = 100, warmUp = 5): Promise<{ bare: number[]; simulated: number[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'vpnc-script-bench');
  fs.writeFileSync(script, '#!/bin/sh\ncase "$reason" in\n\tconnect) logger -t vpnc "up on $TUNDEV" ;;\n\t*) ;;\nesac\n', { mode: 0o755 });
  const times = { bare: [] as number[], simulated: [] as number[] };
  for (let i = 0; i < warmUp + runs; i++) {
    const b = await timed(() => bareSh(script));
    const s = await timed(() => simulated(script));
    if (i >= warmUp) {
      times.bare.push(b);
      times.simulated.push(s);
    }
  }
  return times;
}

export async function vpncRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  progress('timing lintHook on the vpnc-script example (script and hook folders)');
  const lint = await benchVpncLint();
  progress('timing one simulated vpnc-script reason against sh -c');
  const event = await benchVpncEvent(path.join(outDir, 'vpnc'));
  const lintMs = median(lint.ms);
  const added = median(event.simulated) - median(event.bare);
  const stats = (xs: number[]): string => `median ${formatMs(median(xs))}, p95 ${formatMs(p95(xs))}`;
  return [
    {
      what:
        `vpnc-script: lintHook of examples/vpnc-script (script + 2 hook-folder files, ${lint.findings} findings; median ` +
        `of ${lint.ms.length})`,
      value: formatMs(lintMs),
      goal: `≤ ${goals.lintMs} ms`,
      result: verdict(lintMs <= goals.lintMs),
    },
    {
      what: `vpnc-script: /bin/sh -c of a small script, pipes read (${event.bare.length} runs)`,
      value: stats(event.bare),
      goal: dash,
      result: dash,
    },
    {
      what: `vpnc-script: simulate one reason (connect), shims mode, same script (${event.simulated.length} runs)`,
      value: `${stats(event.simulated)}; +${formatMs(added)} median`,
      goal: `≤ ${goals.eventMs} ms added (median)`,
      result: verdict(added <= goals.eventMs),
    },
  ];
}

/** `node out/bench/vpncScript.js`: these rows alone. */
if (require.main === module) {
  void (async () => {
    const rows = await vpncRows(paths.outDir, (m) => process.stderr.write(`bench: ${m}\n`));
    process.stdout.write(`${formatTable(rows)}\n`);
  })();
}
