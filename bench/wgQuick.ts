/**
 * The wg-quick family's rows: the example (wg0.conf, its hook lines parsed as bash, and the script
 * they run) linted in-process, and one simulated command (up, one PostUp line) in shims mode
 * against a bare `sh -c` of the same line. The two take turns, so load from elsewhere falls on both.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { configTypeOf, lintAndWire } from '../server/src/config/configDocs';
import { hookFileOnDisk, lintHook } from '../server/src/hooks/lintHook';
import { loadShellParser } from '../server/src/shell/parser';
import { simulate } from '../server/src/simulate/simulate';
import { formatMs, median, p95, sample } from './stats';
import { paths } from './paths';
import { formatTable, Row, verdict } from './table';

const goals = { lintMs: 5, eventMs: 10 } as const;
const dash = '-';
const example = path.resolve(__dirname, '../../examples/wg-quick');
const line = 'logger -t wireguard "wg0 is up"';

/** Median ms of linting the example: the config (rules, hook lines, wiring) and the script it runs. */
export async function benchWgLint(runs = 200): Promise<{ ms: number[]; findings: number }> {
  await loadShellParser();
  const config = path.join(example, 'wg0.conf');
  const text = fs.readFileSync(config, 'utf8');
  const match = configTypeOf(config, text);
  if (!match) throw new Error('examples/wg-quick/wg0.conf is not recognised');
  const script = hookFileOnDisk(path.join(example, 'announce.sh'), fs.readFileSync(path.join(example, 'announce.sh'), 'utf8'));
  const lintAll = (): number =>
    lintAndWire(match, config, text, { roots: [example], serverPaths: {} }).findings.length +
    (lintHook(script)?.findings.length ?? Number.NaN);
  for (let i = 0; i < 20; i++) lintAll();
  return { ms: sample(runs, lintAll), findings: lintAll() };
}

function bareSh(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'], env: {} });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

async function simulated(config: string): Promise<void> {
  const report = await simulate({ kind: 'wg-quick', events: ['up'], config, isolation: 'shims' });
  if (!report.ok) throw new Error(`simulate wg-quick: ${JSON.stringify(report.runs[0])}`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** wg-quick up of a config with one PostUp line, in shims mode, and the bare sh -c of that line, `runs` times each after a warm-up. */
export async function benchWgEvent(dir: string, runs = 100, warmUp = 5): Promise<{ bare: number[]; simulated: number[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'wg0.conf');
  fs.writeFileSync(config, `[Interface]\nAddress = 10.99.0.1/24\nPostUp = ${line}\n`, { mode: 0o600 });
  const times = { bare: [] as number[], simulated: [] as number[] };
  for (let i = 0; i < warmUp + runs; i++) {
    const b = await timed(bareSh);
    const s = await timed(() => simulated(config));
    if (i >= warmUp) {
      times.bare.push(b);
      times.simulated.push(s);
    }
  }
  return times;
}

export async function wgQuickRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  progress('timing the lint of the wg-quick example (config and script)');
  const lint = await benchWgLint();
  progress('timing one simulated wg-quick up against sh -c');
  const event = await benchWgEvent(path.join(outDir, 'wg-quick'));
  const lintMs = median(lint.ms);
  const added = median(event.simulated) - median(event.bare);
  const stats = (xs: number[]): string => `median ${formatMs(median(xs))}, p95 ${formatMs(p95(xs))}`;
  return [
    {
      what:
        `wg-quick: lint of examples/wg-quick (wg0.conf with 5 hook lines + the script they run, ${lint.findings} findings; ` +
        `median of ${lint.ms.length})`,
      value: formatMs(lintMs),
      goal: `≤ ${goals.lintMs} ms`,
      result: verdict(lintMs <= goals.lintMs),
    },
    {
      what: `wg-quick: /bin/sh -c of one hook line, pipes read (${event.bare.length} runs)`,
      value: stats(event.bare),
      goal: dash,
      result: dash,
    },
    {
      what: `wg-quick: simulate up (one PostUp line), shims mode (${event.simulated.length} runs)`,
      value: `${stats(event.simulated)}; +${formatMs(added)} median`,
      goal: `≤ ${goals.eventMs} ms added (median)`,
      result: verdict(added <= goals.eventMs),
    },
  ];
}

/** `node out/bench/wgQuick.js`: these rows alone. */
if (require.main === module) {
  void (async () => {
    const rows = await wgQuickRows(paths.outDir, (m) => process.stderr.write(`bench: ${m}\n`));
    process.stdout.write(`${formatTable(rows)}\n`);
  })();
}
