/**
 * Engine overhead: runHook on a trivial script against spawning the same file directly with
 * child_process (same stdio: pipes for stdout and stderr, read to the end). runHook in three modes:
 * a dry run making its own shim folder (a single simulation), a dry run reusing one (as a sequence
 * of events does), and live. The modes take turns, so load from elsewhere falls on all alike.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runHook } from '../server/src/simulate/run';
import { createShims, Shims } from '../server/src/simulate/shims';

export interface Overhead {
  readonly runs: number;
  /** Milliseconds per run of each mode. */
  readonly direct: number[];
  readonly dryRun: number[];
  readonly sharedShims: number[];
  readonly live: number[];
}

export function writeTrivialHook(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'OnConnect_trivial.sh');
  fs.writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return script;
}

/** Spawn, read both pipes to their end, wait for the exit: what any caller of a script must do. */
function direct(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(script, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

async function hook(script: string, opts: { live?: boolean; shims?: Shims }): Promise<void> {
  const r = await runHook({ event: 'connect', script }, opts);
  if (r.exitCode !== 0) throw new Error(`runHook: exit ${r.exitCode} ${r.notRun?.message ?? r.stderr}`);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function benchOverhead(dir: string, runs = 200, warmUp = 10): Promise<Overhead> {
  const script = writeTrivialHook(dir);
  const shims = createShims();
  const modes = {
    direct: () => direct(script),
    dryRun: () => hook(script, {}),
    sharedShims: () => hook(script, { shims }),
    live: () => hook(script, { live: true }),
  };
  const times: Record<keyof typeof modes, number[]> = { direct: [], dryRun: [], sharedShims: [], live: [] };
  try {
    for (let i = 0; i < warmUp + runs; i++) {
      for (const [name, fn] of Object.entries(modes) as [keyof typeof modes, () => Promise<void>][]) {
        const ms = await timed(fn);
        if (i >= warmUp) times[name].push(ms);
      }
    }
  } finally {
    shims.dispose();
  }
  return { runs, ...times };
}
