import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { groupMembers, signalGroup } from './group';
import { capture, Captured } from './output';

export type StopReason = 'timeout' | 'next-event' | 'cancelled';

export interface SignalSent {
  readonly signal: 'SIGTERM' | 'SIGKILL';
  /** Milliseconds after the spawn. */
  readonly atMs: number;
  readonly why: StopReason | 'grace-expired' | 'left-running';
}

export interface GroupRunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Arguments after the file (an array: never through a shell). */
  readonly args?: readonly string[];
  /** argv[0]; default the file's base name, as execl(path, name) gives it. */
  readonly argv0?: string;
  /** Default the file's folder. */
  readonly cwd?: string;
  readonly timeoutMs: number;
  readonly graceMs: number;
  readonly outputCap: number;
  /** Aborting it stops the run as the next event would: SIGTERM, then SIGKILL after `nextEventGraceMs`. */
  readonly nextEvent?: AbortSignal;
  readonly nextEventGraceMs: number;
  /** Aborting it stops the run as a timeout would (the user cancelled): SIGTERM, SIGKILL after `graceMs`. */
  readonly cancel?: AbortSignal;
  readonly onStdout?: (text: string) => void;
  readonly onStderr?: (text: string) => void;
  readonly onSpawn?: (pid: number) => void;
}

export interface GroupRunResult {
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stoppedBy: StopReason | undefined;
  readonly signals: readonly SignalSent[];
  /** Group members still running when the hook itself exited (then killed: a simulation leaves nothing behind). */
  readonly leftRunning: readonly number[];
  /** Group members still living after the last SIGKILL: normally none. */
  readonly survivors: readonly number[];
  /** Something outside the group (setsid) kept the output pipes open; the run stopped reading them. */
  readonly pipesHeldOpen: boolean;
  readonly durationMs: number;
  readonly stdout: Captured;
  readonly stderr: Captured;
  readonly spawnError?: string;
}

// After the group's SIGKILL, output must close at once; a holder outside the group gets this long.
const pipeDeadlineMs = 1_000;
// Signal delivery is asynchronous: a member may still look alive just after kill(); one re-check.
const survivorRecheckMs = 50;

/**
 * Runs `file` (argument array, no shell) as the leader of a new process group. Timers, not polling:
 * the timeout sends SIGTERM to the whole group and arms a SIGKILL after the grace.
 */
export function runGroup(file: string, opts: GroupRunOptions): Promise<GroupRunResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const at = (): number => Math.round(performance.now() - t0);
    const child = spawn(file, opts.args ?? [], {
      argv0: opts.argv0 ?? path.basename(file), // execl(path, name): argv[0] is the script's name
      cwd: opts.cwd ?? path.dirname(file),
      env: opts.env,
      detached: true, // its own process group, so one kill reaches everything it starts
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    const stdout = capture(child.stdout, opts.outputCap, opts.onStdout);
    const stderr = capture(child.stderr, opts.outputCap, opts.onStderr);
    const signals: SignalSent[] = [];
    let stoppedBy: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let pipeTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
    let leftRunning: number[] = [];
    let closed = false;
    let pipesHeldOpen = false;
    let settled = false;

    const send = (signal: SignalSent['signal'], why: SignalSent['why']): void => {
      if (pgid !== undefined && signalGroup(pgid, signal)) signals.push({ signal, atMs: at(), why });
      if (signal === 'SIGKILL') armPipeDeadline();
    };
    const stop = (why: StopReason, graceMs: number): void => {
      if (stoppedBy || exit) return;
      stoppedBy = why;
      clearTimeout(timeout);
      send('SIGTERM', why);
      killTimer = setTimeout(() => {
        killTimer = undefined;
        // Only living members count: a zombie nobody reaps (no init in a container) keeps the group
        // id in use, and a SIGKILL "sent" to it would report a kill that never happened.
        if (pgid !== undefined && groupMembers(pgid).length) send('SIGKILL', 'grace-expired');
        maybeSettle();
      }, graceMs);
    };
    const armPipeDeadline = (): void => {
      clearTimeout(pipeTimer);
      pipeTimer = setTimeout(() => {
        if (closed) return;
        pipesHeldOpen = true;
        child.stdout.destroy();
        child.stderr.destroy();
        closed = true;
        maybeSettle();
      }, pipeDeadlineMs);
    };
    const onNextEvent = (): void => stop('next-event', opts.nextEventGraceMs);
    const onCancel = (): void => stop('cancelled', opts.graceMs);
    const timeout = setTimeout(() => stop('timeout', opts.graceMs), opts.timeoutMs);
    opts.nextEvent?.addEventListener('abort', onNextEvent, { once: true });
    if (opts.nextEvent?.aborted) onNextEvent();
    opts.cancel?.addEventListener('abort', onCancel, { once: true });
    if (opts.cancel?.aborted) onCancel();

    const maybeSettle = (): void => {
      if (settled || !exit || !closed || killTimer) return;
      settled = true;
      clearTimeout(pipeTimer);
      opts.nextEvent?.removeEventListener('abort', onNextEvent);
      opts.cancel?.removeEventListener('abort', onCancel);
      const finish = (survivors: number[]): void => resolve({
        pid: pgid, exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stoppedBy, signals, leftRunning, survivors,
        pipesHeldOpen, durationMs: exit?.atMs ?? at(), stdout: stdout(), stderr: stderr(),
      });
      const first = pgid === undefined ? [] : groupMembers(pgid);
      if (!first.length || pgid === undefined) finish([]);
      else setTimeout(() => finish(groupMembers(pgid)), survivorRecheckMs);
    };

    child.once('spawn', () => pgid !== undefined && opts.onSpawn?.(pgid));
    child.once('error', (e) => {
      if (settled || exit) return;
      settled = true;
      clearTimeout(timeout);
      opts.nextEvent?.removeEventListener('abort', onNextEvent);
      opts.cancel?.removeEventListener('abort', onCancel);
      resolve({
        pid: pgid, exitCode: null, signal: null, stoppedBy: undefined, signals, leftRunning, survivors: [], pipesHeldOpen: false,
        durationMs: at(), stdout: stdout(), stderr: stderr(), spawnError: e.message,
      });
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal, atMs: at() };
      clearTimeout(timeout);
      const rest = pgid === undefined ? [] : groupMembers(pgid);
      if (killTimer && !rest.length) {
        clearTimeout(killTimer); // everything ended on SIGTERM: no SIGKILL needed
        killTimer = undefined;
      } else if (!stoppedBy && rest.length) {
        leftRunning = rest;
        send('SIGKILL', 'left-running');
      }
      armPipeDeadline();
      maybeSettle();
    });
    child.once('close', () => {
      closed = true;
      maybeSettle();
    });
  });
}
