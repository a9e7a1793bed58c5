/**
 * A per-case watchdog for the fuzz runs: a case that never returns (the shell parser once ran for
 * hours on 300 bytes) blocks the thread the target runs on, so no timer there can fire. A worker
 * thread watches a heartbeat the run writes into shared memory before and after every case; when
 * one case has run for `deadlineMs` of wall clock (a test-harness limit, far above the 1 s CPU
 * budget per input), it saves the input and the seed to a file, says so on stderr, and ends the
 * process: the run fails at once with what replays it, instead of stalling.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Watchdog {
  /** Before a case runs: its input as a regression test would write it. */
  running(input: string): void;
  /** After it returned. */
  done(): void;
  stop(): Promise<void>;
}

/** Bytes of a stuck input the heartbeat keeps (the start of a longer one). */
const inputBytes = 1 << 20;
const enum Slot {
  Busy,
  Case,
  Length,
}

const watcher = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { shared, deadlineMs, file, target, seed } = workerData;
const state = new Int32Array(shared, 0, 3);
const text = new Uint8Array(shared, 12);
let seen = -1;
let since = Date.now();
setInterval(() => {
  const busy = Atomics.load(state, 0);
  const kase = Atomics.load(state, 1);
  if (!busy || kase !== seen) {
    seen = kase;
    since = Date.now();
    return;
  }
  if (Date.now() - since < deadlineMs) return;
  const input = Buffer.from(text.subarray(0, Atomics.load(state, 2))).toString('utf8');
  const problems = 'never returned within ' + deadlineMs + ' ms';
  fs.writeFileSync(file, JSON.stringify({ target, seed, run: kase, problems, input }, null, 1));
  fs.writeSync(2, '\\nfuzz: ' + target + ' (seed ' + seed + '): run ' + kase + ' of the target never returned within ' + deadlineMs +
    ' ms of wall clock; its input: ' + file + '\\n' + input.slice(0, 300) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, Math.min(1000, deadlineMs / 4));
`;

export function startWatchdog(target: string, seed: number, deadlineMs: number): Watchdog {
  const shared = new SharedArrayBuffer(12 + inputBytes);
  const state = new Int32Array(shared, 0, 3);
  const text = new Uint8Array(shared, 12);
  const file = path.join(os.tmpdir(), `hooksmith-fuzz-stuck-${target.replace(/\W+/g, '-')}-${seed}.json`);
  const worker = new Worker(watcher, { eval: true, workerData: { shared, deadlineMs, file, target, seed } });
  worker.unref();
  let cases = 0;
  return {
    running(input) {
      const { written } = new TextEncoder().encodeInto(input, text);
      Atomics.store(state, Slot.Length, written);
      Atomics.store(state, Slot.Case, ++cases);
      Atomics.store(state, Slot.Busy, 1);
    },
    done() {
      Atomics.store(state, Slot.Busy, 0);
    },
    async stop() {
      await worker.terminate();
    },
  };
}
