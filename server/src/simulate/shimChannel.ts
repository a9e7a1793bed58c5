/**
 * The channel the shims record through, and the check that makes its record the shims' own: a
 * FIFO that only the runner reads (a hook cannot take back what was read), and a line counts only
 * when the process it names is, at that moment, a shim running with those arguments. That process
 * waits for the runner's SIGUSR1, so it is there to be checked. On Linux /proc shows the process;
 * elsewhere `ps` does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { RecordedCommand } from '../protocol';
import { processInfo } from './group';

/** One run's record while it is open. */
export interface OpenRecord {
  /** The run's first process: a call from its descendants is this run's. */
  root?: number;
  readonly calls: RecordedCommand[];
  readonly hostPid?: (pid: number) => number | undefined;
  readonly seen: Set<string>;
}

const maxPending = 1024 * 1024;

/** Makes the FIFO and reads its lines until the returned function closes it. */
export function openChannel(file: string, onLine: (line: string) => void): () => void {
  if (spawnSync('mkfifo', ['-m', '600', file]).status !== 0) return () => undefined; // shims then say the channel is gone
  // Read and write: the FIFO never reaches end-of-file between runs, and opening it never blocks.
  const socket = new net.Socket({ fd: fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK), readable: true, writable: false });
  socket.unref();
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      onLine(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
    if (pending.length > maxPending) pending = ''; // a flood with no newline: not a shim's
  });
  socket.on('error', () => undefined);
  return () => socket.destroy();
}

/** "PID {"argv":[...]}" as a shim writes it; anything else is not a record. */
export function parseRecordLine(line: string): { pid: number; argv: string[] } | undefined {
  const m = /^(\d{1,10}) (\{.*\})$/.exec(line);
  if (!m) return undefined;
  try {
    const parsed = JSON.parse(m[2]) as { argv?: unknown };
    if (!Array.isArray(parsed.argv) || !parsed.argv.length || !parsed.argv.every((a) => typeof a === 'string')) return undefined;
    return { pid: Number(m[1]), argv: parsed.argv as string[] };
  } catch {
    return undefined;
  }
}

/**
 * Counts a call for the open run it belongs to (the one its process descends from, else the
 * latest), once, and answers the waiting shim, when the process is that shim with those
 * arguments. Nothing else is signalled.
 */
export function attribute(
  pid: number,
  argv: readonly string[],
  runs: readonly OpenRecord[],
  dir: string,
  names: ReadonlySet<string>,
): void {
  if (!names.has(argv[0])) return;
  for (const run of [...runs].reverse()) {
    const host = run.hostPid ? run.hostPid(pid) : pid;
    if (host === undefined || !isShimCall(host, argv, dir)) continue;
    const other = runs.find((r) => r !== run && r.root !== undefined && descendsFrom(host, r.root));
    if (other && !(run.root !== undefined && descendsFrom(host, run.root))) continue;
    const key = `${host}:${processInfo(host)?.startTicks ?? ''}`;
    if (!run.seen.has(key)) {
      run.seen.add(key);
      run.calls.push({ argv: [...argv] });
    }
    try {
      process.kill(host, 'SIGUSR1');
    } catch {
      // gone meanwhile: its record stands
    }
    return;
  }
}

let shell: string | undefined;

/** The process is a shell running the shim for argv[0] with argv's arguments. */
function isShimCall(pid: number, argv: readonly string[], dir: string): boolean {
  const script = path.join(dir, argv[0]);
  if (!fs.existsSync('/proc/self/cmdline')) {
    const shown = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.trim() ?? '';
    return shown === ['/bin/sh', script, ...argv.slice(1)].join(' ');
  }
  let cmdline: string[];
  let exe: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    exe = fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return false;
  }
  shell ??= path.basename(fs.realpathSync('/bin/sh'));
  // The kernel sets exe; a shell does not rewrite its arguments: a forger would have to be this shim.
  return (
    path.basename(exe) === shell &&
    cmdline[1] === script &&
    cmdline.length === argv.length + 1 &&
    argv.slice(1).every((a, i) => cmdline[i + 2] === a)
  );
}

export function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current: number | undefined = pid, i = 0; current !== undefined && current > 1 && i < 64; i++) {
    if (current === ancestor) return true;
    current = processInfo(current)?.ppid;
  }
  return false;
}
