/**
 * Kill precision: how long after timeout + grace the last process of a hook's tree is gone.
 *
 * The tree is three processes that all ignore SIGTERM (script, background child, grandchild), so
 * only the SIGKILL at timeout + grace ends them. Every member holds the write end of a FIFO the
 * bench reads: end-of-file arrives when the last member has closed its files on exit (the kernel's
 * exit_files, before it becomes a zombie and is reaped). That moment is what is measured, without
 * polling. The clock starts at the 'spawn' event (the exec has happened; the engine's timeout timer
 * was armed just before it).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { groupMembers, signalGroup } from '../server/src/simulate/group';
import { runHook } from '../server/src/simulate/run';

export const killSettings = { timeoutMs: 200, graceMs: 100, treeSize: 3 } as const;

export interface KillPrecision {
  /** Milliseconds after timeout + grace that the last member was gone, per run. */
  readonly engineLateMs: number[];
  /** The seed's design, simulated: the script itself (the only process it signals), per run. */
  readonly seedScriptLateMs: number[];
  /** Per seed run: members of the tree still running after the seed's SIGKILL. */
  readonly seedLeftRunning: number[];
}

const fifoVar = 'HOOKSMITH_BENCH_FIFO';
const treeScript = [
  '#!/bin/sh',
  '# Three processes ignoring SIGTERM; each holds fd 3 (the bench FIFO) until it dies.',
  "trap '' TERM",
  `exec 3>"$${fifoVar}"`,
  "( sh -c 'echo grandchild >&3; exec sleep 60' & wait ) &",
  'echo script >&3',
  'wait',
].join('\n');

/** The FIFO's end-of-file as a promise of its time, and a way to learn when the tree is complete. */
function watchFifo(fifo: string): { ready: Promise<void>; gone: Promise<number>; unblock: () => void } {
  fs.rmSync(fifo, { force: true });
  spawnSync('mkfifo', [fifo]);
  if (!fs.existsSync(fifo)) throw new Error(`mkfifo ${fifo} failed`);
  // A blocking open in the thread pool: it returns when the script opens its end.
  const stream = fs.createReadStream(fifo);
  let text = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  stream.on('data', (chunk) => {
    text += chunk.toString();
    if (text.includes('script\n') && text.includes('grandchild\n')) onReady();
  });
  const gone = new Promise<number>((resolve, reject) => {
    stream.once('end', () => resolve(performance.now()));
    stream.once('error', reject);
  });
  // If the script never opened the FIFO, open a writer so the reader's open returns and ends.
  const unblock = (): void => fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  return { ready, gone, unblock };
}

/** Waits for the whole tree to hold the FIFO; if the run ends first, unblocks the reader and fails. */
async function untilReady(watch: ReturnType<typeof watchFifo>, ended: Promise<void>, check: () => void): Promise<void> {
  const early = ended.then(() => Promise.reject(new Error('the tree ended before it was complete')));
  try {
    await Promise.race([watch.ready, early]);
    check();
  } catch (e) {
    watch.unblock();
    throw e;
  }
}

function assertTree(pgid: number): void {
  const members = groupMembers(pgid).length;
  if (members !== killSettings.treeSize)
    throw new Error(`the kill-precision tree has ${members} processes, expected ${killSettings.treeSize}`);
}

async function engineRun(dir: string, script: string, i: number): Promise<number> {
  const fifo = path.join(dir, `engine-${i}.fifo`);
  const watch = watchFifo(fifo);
  let spawnedAt = 0;
  let pgid = 0;
  const run = runHook(
    { event: 'connect', script, env: { [fifoVar]: fifo } },
    // The tree is built with sh -c, which the shims' analysis refuses to run unasked: this is the bench's own script.
    {
      timeoutMs: killSettings.timeoutMs,
      graceMs: killSettings.graceMs,
      allowUnintercepted: true,
      onSpawn: (p) => ((spawnedAt = performance.now()), (pgid = p)),
    },
  );
  await untilReady(
    watch,
    run.then(() => undefined),
    () => assertTree(pgid),
  );
  const goneAt = await watch.gone;
  const result = await run;
  if (result.signalsSent.map((s) => s.signal).join() !== 'SIGTERM,SIGKILL')
    throw new Error(`unexpected signals ${JSON.stringify(result.signalsSent)}`);
  return goneAt - (spawnedAt + killSettings.timeoutMs + killSettings.graceMs);
}

/**
 * The seed's executor, simulated with the same timeout and grace: a check once a second (at a
 * phase unrelated to the start, as the worker loop's sleep(1) gives it), SIGTERM then SIGKILL to
 * the script's pid only, never to its group.
 */
async function seedRun(dir: string, script: string, i: number): Promise<{ lateMs: number; leftRunning: number }> {
  const fifo = path.join(dir, `seed-${i}.fifo`);
  const watch = watchFifo(fifo);
  // Its own group only so the bench can clean up afterwards; the seed signals the pid alone.
  const child = spawn(script, [], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, [fifoVar]: fifo } });
  const pid = child.pid;
  if (pid === undefined) throw new Error('spawn failed');
  const spawnedAt = await new Promise<number>((resolve) => child.once('spawn', () => resolve(performance.now())));
  const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(performance.now())));
  await untilReady(
    watch,
    exited.then(() => undefined),
    () => assertTree(pid),
  );
  let poll: NodeJS.Timeout | undefined;
  const check = (): void => {
    if (performance.now() - spawnedAt <= killSettings.timeoutMs) return;
    clearInterval(poll);
    process.kill(pid, 'SIGTERM');
    setTimeout(() => process.kill(pid, 'SIGKILL'), killSettings.graceMs);
  };
  const phase = setTimeout(() => {
    poll = setInterval(check, 1000);
    check();
  }, Math.random() * 1000);
  const exitedAt = await exited;
  clearTimeout(phase);
  clearInterval(poll);
  const leftRunning = groupMembers(pid).length;
  signalGroup(pid, 'SIGKILL'); // the bench's cleanup, not the seed's
  await watch.gone;
  return { lateMs: exitedAt - (spawnedAt + killSettings.timeoutMs + killSettings.graceMs), leftRunning };
}

export async function benchKillPrecision(dir: string, runs = 20): Promise<KillPrecision> {
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'OnConnect_tree.sh');
  fs.writeFileSync(script, `${treeScript}\n`, { mode: 0o755 });
  const engineLateMs: number[] = [];
  const seedScriptLateMs: number[] = [];
  const seedLeftRunning: number[] = [];
  for (let i = 0; i < runs; i++) engineLateMs.push(await engineRun(dir, script, i));
  for (let i = 0; i < runs; i++) {
    const seed = await seedRun(dir, script, i);
    seedScriptLateMs.push(seed.lateMs);
    seedLeftRunning.push(seed.leftRunning);
  }
  return { engineLateMs, seedScriptLateMs, seedLeftRunning };
}
