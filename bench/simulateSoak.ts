/**
 * 1,000 runHook runs in a row: what the process holds before and after (open fds, RSS, heap after a
 * GC, zombie children, hooksmith-* temp folders). The runs are a mix, so every path of the engine is
 * exercised: most print to both streams and call a shimmed command; every 10th leaves a background
 * process behind (killed as left running); every 50th times out and is killed after its grace.
 * 200 runs first warm the process up (parser, JIT, allocator arenas). RSS still grows in steps for
 * about 1,500 runs after that, as V8 enlarges its heap (heapTotal) and the new pages get touched, and
 * then stays level (measured over 2,000 runs of this mix and 4,000 plain ones); so a leak is judged on the heap in use
 * and on RSS growth over the last half, each after a GC.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { runHook } from '../server/src/simulate/run';
import { pooledChannels } from '../server/src/simulate/shimFolder';

export interface ProcessFacts {
  readonly fds: number;
  readonly rssMB: number;
  /** Reserved for the JS heap: V8 grows its young generation under steady allocation, then stops. */
  readonly heapTotalMB: number;
  readonly heapMB: number;
  /** Children of this process in state Z (exited, never reaped). */
  readonly zombies: number;
  /** hooksmith-* folders in the temporary folder the runs used. */
  readonly tempDirs: number;
}

export interface Soak {
  readonly runs: number;
  readonly warmUp: number;
  readonly before: ProcessFacts;
  readonly halfway: ProcessFacts;
  readonly after: ProcessFacts;
  /** How the GC before each measurement was obtained. */
  readonly gc: string;
  readonly failures: number;
}

/** `npm run bench` starts node without --expose-gc: the flag can still be set at run time. */
export function collector(): { gc: () => void; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return { gc: exposed, how: '--expose-gc' };
  v8.setFlagsFromString('--expose-gc');
  return { gc: vm.runInNewContext('gc') as () => void, how: 'v8.setFlagsFromString("--expose-gc")' };
}

/** Children of this process in state Z: exited, never reaped. */
export function zombieChildren(): number {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state === 'Z' && Number(ppid) === process.pid;
      } catch {
        return false;
      }
    }).length;
}

function facts(tmp: string, gc: () => void): ProcessFacts {
  gc();
  const mem = process.memoryUsage();
  return {
    fds: fs.readdirSync('/proc/self/fd').length - pooledChannels(), // the shims' channel pool is a bounded cache
    rssMB: mem.rss / 2 ** 20,
    heapTotalMB: mem.heapTotal / 2 ** 20,
    heapMB: mem.heapUsed / 2 ** 20,
    zombies: zombieChildren(),
    tempDirs: fs.readdirSync(tmp).filter((n) => n.startsWith('hooksmith-')).length,
  };
}

function writeHooks(dir: string): { plain: string; leaver: string; slow: string } {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, lines: string[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o755 });
    return file;
  };
  return {
    plain: write('OnConnect_plain.sh', [
      '#!/bin/sh',
      'echo "connected $CISCO_VPN_USERNAME"',
      'echo warning >&2',
      'ip route add 10.1.0.0/16 dev tun0',
      'exit 0',
    ]),
    leaver: write('OnConnect_leaver.sh', ['#!/bin/sh', 'sleep 60 >/dev/null 2>&1 &', 'exit 0']),
    slow: write('OnConnect_slow.sh', ['#!/bin/sh', "trap '' TERM", 'sleep 60']),
  };
}

async function oneRun(hooks: ReturnType<typeof writeHooks>, i: number): Promise<boolean> {
  if (i % 50 === 49) {
    const r = await runHook({ event: 'connect', script: hooks.slow }, { timeoutMs: 50, graceMs: 50 });
    return r.timedOut && r.survivors.length === 0;
  }
  if (i % 10 === 9) {
    const r = await runHook({ event: 'connect', script: hooks.leaver });
    return r.exitCode === 0 && r.leftRunning.length === 1 && r.survivors.length === 0;
  }
  const r = await runHook({ event: 'connect', script: hooks.plain, env: { CISCO_VPN_USERNAME: `user${i}` } });
  return r.exitCode === 0 && r.commands.length === 1 && r.stdout === `connected user${i}\n`;
}

/** The runs use a private TMPDIR, so other programs' hooksmith-* folders in /tmp do not count. */
export async function benchSoak(dir: string, runs = 1000, warmUp = 200): Promise<Soak> {
  const hooks = writeHooks(dir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-tmp-'));
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const { gc, how } = collector();
  let failures = 0;
  try {
    for (let i = 0; i < warmUp; i++) await oneRun(hooks, i);
    const before = facts(tmp, gc);
    let halfway = before;
    for (let i = 0; i < runs; i++) {
      if (!(await oneRun(hooks, i))) failures++;
      if (i === runs / 2 - 1) halfway = facts(tmp, gc);
    }
    await new Promise((resolve) => setImmediate(resolve));
    return { runs, warmUp, before, halfway, after: facts(tmp, gc), gc: how, failures };
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
