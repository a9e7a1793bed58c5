/**
 * The channel the shims record through, and the check that makes its record the shims' own: a
 * FIFO that only the runner reads (a hook cannot take back what was read), and a line counts only
 * when the process it names is, at that moment, a shim running with those arguments. That process
 * waits for the runner's answer (SIGUSR1, or SIGUSR2 to run the real tool in a sandbox), so it is there to be checked. On Linux /proc shows
 * the process;
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
  /** The calls' processes (host pid and start time) and their entries in `calls`. */
  readonly seen: Map<string, number>;
  /** A call's pid as its shim gave it (in the sandbox's PID namespace) and the host's pid found for it: no new search for its exit line. */
  readonly hosts?: Map<number, number>;
  /** In a sandbox: what it does with a shim's call (run the real tool, or only record it). */
  readonly sandbox?: (name: string) => SandboxTreatment | undefined;
  /** The run's shim folder, and the names shimmed in it. */
  readonly dir: string;
  readonly names: ReadonlyMap<string, unknown>;
}

/** What a sandbox does with a shim's call: run this program (`rest`: what follows sudo's options), or only record it. */
export type SandboxTreatment = { readonly run: string } | { readonly why: string };

/** Every run of this process whose record is open, whatever its channel: a call is the run's its process descends from. */
const openRuns = new Set<OpenRecord>();

export function openRecord(run: OpenRecord): void {
  openRuns.add(run);
}

export function closeRecord(run: OpenRecord): void {
  openRuns.delete(run);
}

/** How many runs' records are open: none once every run has ended (the soak rows check it does not grow). */
export function openRecordCount(): number {
  return openRuns.size;
}

const maxPending = 1024 * 1024;

/** Reads the lines of a FIFO (held open for reading and writing) until the returned function closes it. */
export function listenChannel(fd: number, onLine: (line: string) => void): () => void {
  const socket = new net.Socket({ fd, readable: true, writable: false });
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

/** How a shim that ran its tool calls itself again (exec), with the tool's status after it (see shims.ts). */
export const exitFlag = '--hooksmith-exit';

/**
 * A shim's line as it begins: "PID" where /proc shows the process (its arguments are read there:
 * the kernel's copy, and no awk to start), else "PID {"argv":[...]}"; "PID exit" once the real tool
 * it ran has ended.
 */
export type ShimLine = { pid: number; argv?: string[] } | { pid: number; exit: true };

/** A shim's line, or undefined for anything else. */
export function parseRecordLine(line: string): ShimLine | undefined {
  const ended = /^(\d{1,10}) exit$/.exec(line);
  if (ended) return { pid: Number(ended[1]), exit: true };
  if (/^\d{1,10}$/.test(line)) return { pid: Number(line) };
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
 * Counts a call, once, for the run whose process made it: the open run (its channel's first, then any other) its
 * process descends from, else the latest run of the channel it came through that it does not
 * descend from another's (an escapee of its own). Then the waiting shim is answered: SIGUSR2 (run
 * the real tool) where the run's sandbox runs it, else SIGUSR1 (recorded). Only a process that is
 * that shim with those arguments counts, and nothing else is signalled: a hook that writes into
 * another run's channel, or has a shim do so, adds nothing to that run's record. A call made by the
 * shim of sudo (doas, pkexec) running the rest of its command is that sudo call's own: it adds no
 * entry, and what the sandbox did with it is the sudo entry's. An exit line sets the exit status of
 * a call that ran, once, while its shim still lives (it waits for SIGUSR1 again).
 */
export function attribute(line: ShimLine, channelRuns: readonly OpenRecord[]): void {
  if ('exit' in line) return void ended(line);
  const found = callOwner(line.pid, line.argv, channelRuns);
  if (!found) return;
  const { run, host, argv } = found;
  const pid = line.pid;
  const key = processKey(host);
  run.hosts?.set(pid, host);
  const treatment = run.sandbox?.(argv[0]);
  let at = run.seen.get(key);
  if (at === undefined) {
    at = escalatedBy(run, host, argv) ?? run.calls.push({ argv: [...argv] }) - 1;
    run.seen.set(key, at);
    if (treatment)
      run.calls[at] = { argv: run.calls[at].argv, sandbox: 'run' in treatment ? { ran: true } : { ran: false, why: treatment.why } };
  }
  answer(host, treatment && 'run' in treatment ? 'SIGUSR2' : 'SIGUSR1');
}

/**
 * The run a shim's call belongs to, the call's process on the host and its arguments (as the line
 * gave them, else as /proc shows them); none when it is no run's shim call.
 */
function callOwner(
  pid: number,
  given: readonly string[] | undefined,
  channelRuns: readonly OpenRecord[],
): { run: OpenRecord; host: number; argv: readonly string[] } | undefined {
  const open = [...openRuns].reverse();
  const hostOf = (run: OpenRecord): number | undefined => (run.hostPid ? run.hostPid(pid) : pid);
  const callOf = (run: OpenRecord, host: number | undefined): readonly string[] | undefined => {
    if (host === undefined) return undefined;
    const argv = given ?? shimArgv(host);
    return argv && run.names.has(argv[0]) && isShimCall(host, argv, run.dir) ? argv : undefined;
  };
  // A sandbox's pid means a process of that sandbox: other sandboxes have their own process at that pid, a shim too at
  // times. The runs of the channel the line came through are asked first, so another's shim does not take the answer.
  const mine = open.filter((run) => channelRuns.includes(run));
  for (const run of [...mine, ...open.filter((r) => !mine.includes(r))]) {
    const host = hostOf(run);
    if (run.root === undefined || host === undefined || !descendsFrom(host, run.root)) continue;
    const argv = callOf(run, host);
    if (argv) return { run, host, argv };
  }
  for (const run of [...channelRuns].reverse()) {
    const host = hostOf(run);
    const argv = callOf(run, host);
    if (host !== undefined && argv && !open.some((r) => r.root !== undefined && descendsFrom(host, r.root))) return { run, host, argv };
  }
  return undefined;
}

/** The shim call a process is making, by its command line (`sh /dir/ip link ...` calls ["ip", "link", ...]). */
function shimArgv(pid: number): string[] | undefined {
  const cmdline = commandLineOf(pid);
  return cmdline && cmdline.length >= 2 ? [path.basename(cmdline[1]), ...cmdline.slice(2)] : undefined;
}

function commandLineOf(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return undefined;
  }
}

/** The entry of the sudo call whose shim (the parent of `host`) runs exactly this command, if any. */
function escalatedBy(run: OpenRecord, host: number, argv: readonly string[]): number | undefined {
  const parent = processInfo(host)?.ppid;
  const at = parent === undefined ? undefined : run.seen.get(processKey(parent));
  if (at === undefined) return undefined;
  const outer = run.calls[at].argv;
  const tail = outer.slice(outer.length - argv.length);
  return outer.length > argv.length && tail.every((a, i) => a === argv[i]) && run.calls[at].sandbox?.ran ? at : undefined;
}

/**
 * A shim's exit line: the status of the tool it ran, for its entry (the sudo call's, for the command sudo ran), read
 * from the arguments the recorded process itself now runs with (see exitStatus), never from the line.
 */
function ended(line: { pid: number }): void {
  for (const run of openRuns) {
    const known = run.hosts?.get(line.pid);
    // The process found for the record line, if it is still that one (its key is in seen), else a new search.
    const host = known !== undefined && run.seen.has(processKey(known)) ? known : run.hostPid?.(line.pid);
    const at = host === undefined ? undefined : run.seen.get(processKey(host));
    if (host === undefined || at === undefined) continue;
    const { argv, sandbox } = run.calls[at];
    const exitCode = exitStatus(host, argv, run.dir);
    if (exitCode === undefined) continue;
    if (sandbox?.ran && sandbox.exitCode === undefined) run.calls[at] = { argv, sandbox: { ran: true, exitCode } };
    answer(host, 'SIGUSR1');
    return;
  }
}

function answer(host: number, signal: 'SIGUSR1' | 'SIGUSR2'): void {
  try {
    process.kill(host, signal);
  } catch {
    // gone meanwhile: its record stands
  }
}

function processKey(host: number): string {
  return `${host}:${processInfo(host)?.startTicks ?? ''}`;
}

let shell: string | undefined;

/**
 * The status a recorded shim process (its pid and start time are the call's) gives as the shell running the shim of
 * one of the call's words again, as `--hooksmith-exit STATUS`: the same process after its exec, so the kernel, not
 * the hook, holds the status. Undefined for any other process or form (a forged line for a shim still running its tool).
 */
function exitStatus(pid: number, argv: readonly string[], dir: string): number | undefined {
  const cmdline = shellArguments(pid);
  const [, named, flag, status] = cmdline ?? [];
  const script = named === undefined ? '' : path.join(dir, path.basename(named));
  const isShim = named !== undefined && argv.includes(path.basename(named)) && (named === script || sameFileFrom(pid, named, script));
  return cmdline?.length === 4 && isShim && flag === exitFlag && /^\d{1,3}$/.test(status) ? Number(status) : undefined;
}

/**
 * The arguments of a process that is a shell (the kernel sets its exe; a shell does not rewrite its arguments: a
 * forger would have to be that very process), else undefined.
 */
function shellArguments(pid: number): string[] | undefined {
  const cmdline = commandLineOf(pid);
  try {
    shell ??= path.basename(fs.realpathSync('/bin/sh'));
    return cmdline && path.basename(fs.readlinkSync(`/proc/${pid}/exe`)) === shell ? cmdline : undefined;
  } catch {
    return undefined;
  }
}

/** The process is a shell running the shim for argv[0] with argv's arguments. */
function isShimCall(pid: number, argv: readonly string[], dir: string): boolean {
  const script = path.join(dir, argv[0]);
  if (!fs.existsSync('/proc/self/cmdline')) {
    const shown = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.trim() ?? '';
    return shown === ['/bin/sh', script, ...argv.slice(1)].join(' ');
  }
  const cmdline = shellArguments(pid);
  return (
    cmdline !== undefined &&
    (cmdline[1] === script || sameFileFrom(pid, cmdline[1], script)) &&
    cmdline.length === argv.length + 1 &&
    argv.slice(1).every((a, i) => cmdline[i + 2] === a)
  );
}

/**
 * The shell's script named by a relative path (`./ip` after `cd` into the shim folder) is the shim:
 * the same file, looked up from the process's own working folder (in its namespaces).
 */
function sameFileFrom(pid: number, named: string | undefined, script: string): boolean {
  if (!named || named.startsWith('/') || path.basename(named) !== path.basename(script)) return false;
  try {
    const theirs = fs.statSync(`/proc/${pid}/cwd/${named}`);
    const ours = fs.statSync(script);
    return theirs.dev === ours.dev && theirs.ino === ours.ino;
  } catch {
    return false;
  }
}

export function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current: number | undefined = pid, i = 0; current !== undefined && current > 1 && i < 64; i++) {
    if (current === ancestor) return true;
    current = processInfo(current)?.ppid;
  }
  return false;
}
