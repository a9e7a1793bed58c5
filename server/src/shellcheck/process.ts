import { ChildProcess, spawn } from 'node:child_process';

export interface RunOptions {
  readonly executable: string;
  readonly args: readonly string[];
  /** Written to stdin. */
  readonly input: string;
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Aborting kills the run's process group. */
  readonly signal?: AbortSignal;
  /** Called with the pid (and process group id) once the process runs. */
  readonly onSpawn?: (pid: number) => void;
}

export type RunResult =
  | { readonly kind: 'exited'; readonly code: number | null; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly reason: string };

// Far more than any hook-sized report; past it the run is stopped rather than buffered.
const maxOutput = 64 * 1024 * 1024;

/**
 * Runs a program in its own process group (never through a shell) and resolves once every
 * process of the group that held its pipes is gone. A timeout or an abort kills the whole
 * group, as does the leader's exit (nothing it started outlives it).
 */
export function runInGroup(opts: RunOptions): Promise<RunResult> {
  if (opts.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
  return new Promise((resolve) => {
    const child = spawn(opts.executable, opts.args, { cwd: opts.cwd, detached: true, stdio: 'pipe', windowsHide: true });
    const out = collect(child, () => stop({ kind: 'failed', reason: `more than ${maxOutput} bytes of output` }));
    let stopped: RunResult | undefined;
    const stop = (why: RunResult): void => {
      stopped ??= why;
      killGroup(child);
    };
    const onAbort = (): void => stop({ kind: 'cancelled' });
    const timer = setTimeout(() => stop({ kind: 'timeout' }), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (result: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('spawn', () => opts.onSpawn?.(child.pid as number));
    child.once('error', (e: NodeJS.ErrnoException) => settle(spawnFailure(e)));
    child.once('exit', () => killGroup(child));
    child.once('close', (code) => settle(stopped ?? { kind: 'exited', code, ...out() }));
    child.stdin.once('error', () => undefined); // EPIPE when it exits before reading everything
    child.stdin.end(opts.input);
  });
}

function collect(child: ChildProcess, overflow: () => void): () => { stdout: string; stderr: string } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  child.stdout?.on('data', (b: Buffer) => {
    size += b.length;
    if (size > maxOutput) overflow();
    else stdout.push(b);
  });
  child.stderr?.on('data', (b: Buffer) => void (stderr.length < 64 && stderr.push(b)));
  return () => ({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
}

/** ENOENT and EACCES from spawn mean there is no runnable program at that path. */
function spawnFailure(e: NodeJS.ErrnoException): RunResult {
  return e.code === 'ENOENT' || e.code === 'EACCES' ? { kind: 'missing', reason: e.code } : { kind: 'failed', reason: e.message };
}

/** SIGKILL to the child's process group. A group already gone (ESRCH) is the goal reached. Windows has no groups: the child alone. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left to kill. Nothing else is expected for our own group, and an event handler must not throw.
  }
}
