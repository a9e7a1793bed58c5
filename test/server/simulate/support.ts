// Helpers for the simulation tests: hooks written to a temp folder, every spawned group tracked.
import * as assert from 'node:assert/strict';
import { ChildProcessByStdio, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { SandboxTool } from '../../../server/src/simulate/sandbox/detect';
import { defaultLimits, openSandbox, Sandbox } from '../../../server/src/simulate/sandbox/sandbox';
import { holderName } from '../../../server/src/simulate/sandbox/scripts';
import { createShims, Shims } from '../../../server/src/simulate/shims';
import { processInfo } from '../../../server/src/simulate/group';
import type { Readable } from 'node:stream';
import { survivorsOf } from '../../helpers/processGroups';

/**
 * A folder for this test file's hooks, removed at the end; after each test no spawned group may have
 * a living member, and no process tracked outside a group (an escapee) may live: it is killed, and
 * the test fails.
 */
export function simulationSandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-simulate-'));
  const groups: number[] = [];
  const strays: { pid: number; startTicks: number | undefined }[] = [];
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    const living = strays.splice(0).filter((s) => {
      const now = processInfo(s.pid);
      return now?.living && now.startTicks === s.startTicks;
    });
    for (const s of living) process.kill(s.pid, 'SIGKILL');
    const left = await Promise.all(groups.splice(0).map((g) => survivorsOf(g)));
    assert.deepEqual(
      living.map((s) => s.pid),
      [],
      'no process that left its group is left running',
    );
    assert.deepEqual(left.flat(), [], 'no process of the test is left');
  });
  return {
    dir,
    /** Writes a hook (LF unless the text says otherwise) and returns its path. */
    hook(name: string, lines: string[], mode = 0o755): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, lines.join('\n') + '\n', { mode });
      return file;
    },
    /** Pass as onSpawn: remembers the group for the after-test check. */
    track: (pgid: number): void => void groups.push(pgid),
    /** A process outside the hook's group (setsid): killed after the test, which fails if it still lived. */
    trackStray: (pid: number): void => void strays.push({ pid, startTicks: processInfo(pid)?.startTicks }),
    /** Kills a process the test expects to have escaped, and waits until it is gone. */
    async killStray(pid: number): Promise<void> {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 1_000 && processInfo(pid)?.living; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(processInfo(pid)?.living ?? false, false, `${pid} survived SIGKILL`);
    },
  };
}

/**
 * For a suite: shims and a sandbox (tun0 with 10.0.0.42/24, the test's folder read-only) opened
 * before its tests and disposed after them. Read `current()` inside a test.
 */
export function suiteSandbox(dir: string, tool?: SandboxTool): { current: () => { sandbox: Sandbox; shims: Shims } } {
  let opened: { sandbox: Sandbox; shims: Shims } | undefined;
  before(async () => {
    const shims = createShims();
    const sandbox = await openSandbox({
      tool,
      network: { device: 'tun0', addresses: ['10.0.0.42/24'] },
      readOnly: [dir, ...shims.shown],
      writable: [],
      home: '/root',
      limits: defaultLimits,
    });
    opened = { sandbox, shims };
  });
  after(() => {
    opened?.sandbox.dispose();
    opened?.shims.dispose();
  });
  return { current: () => opened as { sandbox: Sandbox; shims: Shims } };
}

/** The pids of `sleep SECONDS` (or SECONDS + 1) processes on this machine: a hook's leftovers, told apart by their odd duration. */
export function sleepers(seconds: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((pid) => {
      try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0] === 'sleep' && (argv[1] === String(seconds) || argv[1] === String(seconds + 1)) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}

/** A file's text, or undefined when it cannot be read (a process gone). */
export function readOrNone(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether process `root` is an ancestor of `pid`. */
export function descends(pid: number, root: number): boolean {
  for (let at = pid, i = 0; at > 1 && i < 64; i++) {
    const stat = readOrNone(`/proc/${at}/stat`);
    if (!stat) return false;
    at = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (at === root) return true;
  }
  return false;
}

/** The pids of the sandbox holders started by process `root` (this one by default): other tests on this machine have their own. */
export function holdersOf(root = process.pid): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => readOrNone(`/proc/${pid}/cmdline`)?.split('\0')[0] === holderName && descends(Number(pid), root))
    .map(Number);
}

/** A line of JavaScript that loads the built sandbox module as `sb`, for node processes of a test's own. */
const sandboxModule = path.resolve(__dirname, '../../../server/src/simulate/sandbox/sandbox.js');
export const requireSandbox = `const sb = require(${JSON.stringify(sandboxModule)});`;

/**
 * A node process running `program` (lines of JavaScript, with `sb` the built sandbox module), once it has printed its
 * first line: what it said. For the tests of what outlives a killed process; the caller kills it.
 */
export async function sandboxProcess(
  program: readonly string[],
): Promise<{ child: ChildProcessByStdio<null, Readable, null>; said: string }> {
  const child = spawn(process.execPath, ['-e', [requireSandbox, ...program].join('\n')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`the child ended: ${said}`)));
  });
  return { child, said };
}
