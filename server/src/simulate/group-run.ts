import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import type { EscapedProcess, SignalSent, StopReason } from '../protocol';
import { EscapeWatch, runMarkerVar, watchEscapes } from './escapees';
import { groupHasLiving, groupMembers, processesSince, signalGroup } from './group';
import { capture, Captured } from './output';

export type { SignalSent, StopReason };

export interface GroupRunOptions {
  /** The hook's environment; the run adds HOOKSMITH_RUN_ID, its marker for the escape scan. */
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

export type { EscapedProcess };

export interface GroupRunResult {
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stoppedBy: StopReason | undefined;
  readonly signals: readonly SignalSent[];
  /** Group members still running when the hook itself exited (then killed: a simulation leaves nothing behind). */
  readonly leftRunning: readonly number[];
  /**
   * Processes the hook started that left its process group (setsid, setpgid), which the group's
   * signals miss. Found by a scan of /proc (see escapees.ts) and signalled one by one, each time the
   * group is: SIGTERM and SIGKILL at a timeout or next event, SIGKILL when the hook has exited.
   */
  readonly escaped: readonly EscapedProcess[];
  /** Processes of the run (group members or escapees) still living after the last SIGKILL: normally none. */
  readonly survivors: readonly number[];
  /**
   * The output pipes stayed open a second after the group's end: something outside the group held
   * them (and was not found by the escape scan until then). The run stopped reading them.
   */
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
    const marker = randomBytes(16).toString('hex');
    const child = spawn(file, opts.args ?? [], {
      argv0: opts.argv0 ?? path.basename(file), // execl(path, name); for a #! script the kernel then passes the path to the interpreter, as for the real executor
      cwd: opts.cwd ?? path.dirname(file),
      env: { ...opts.env, [runMarkerVar]: marker },
      detached: true, // its own process group, so one kill reaches everything it starts
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    const escapes: EscapeWatch | undefined = pgid === undefined ? undefined : watchEscapes(pgid, marker);
    const stdout = capture(child.stdout, opts.outputCap, opts.onStdout);
    const stderr = capture(child.stderr, opts.outputCap, opts.onStderr);
    // What the hook started is among the processes started since it: cheaper than all of /proc.
    const runTable = () => (pgid === undefined ? undefined : processesSince(pgid));
    const signals: SignalSent[] = [];
    let stoppedBy: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let pipeTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
    let leftRunning: number[] = [];
    let closed = false;
    let pipesHeldOpen = false;
    let settled = false;

    const sendGroup = (signal: SignalSent['signal'], why: SignalSent['why']): void => {
      if (pgid !== undefined && signalGroup(pgid, signal)) signals.push({ signal, atMs: at(), why });
      if (signal === 'SIGKILL') armPipeDeadline();
    };
    const sendEscapees = (signal: SignalSent['signal']): void => {
      if (escapes?.signal(signal) && signal === 'SIGKILL') armPipeDeadline();
    };
    const stop = (why: StopReason, graceMs: number): void => {
      if (stoppedBy || exit) return;
      stoppedBy = why;
      clearTimeout(timeout);
      const table = runTable(); // before the SIGTERM: parent chains still intact for the escape scan
      sendGroup('SIGTERM', why);
      killTimer = setTimeout(graceExpired, graceMs);
      escapes?.scan(table);
      sendEscapees('SIGTERM');
    };
    const graceExpired = (): void => {
      killTimer = undefined;
      // Only living members count: a zombie nobody reaps (no init in a container) keeps the group
      // id in use, and a SIGKILL "sent" to it would report a kill that never happened.
      if (pgid !== undefined && groupHasLiving(pgid)) sendGroup('SIGKILL', 'grace-expired');
      escapes?.scan(runTable());
      sendEscapees('SIGKILL');
      maybeSettle();
    };
    const armPipeDeadline = (): void => {
      clearTimeout(pipeTimer);
      pipeTimer = setTimeout(() => {
        if (closed) return;
        pipesHeldOpen = true;
        escapes?.scan(runTable(), true); // who holds the output?
        sendEscapees('SIGKILL');
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

    const living = (): number[] => {
      const table = runTable();
      return [...(pgid === undefined ? [] : groupMembers(pgid, table)), ...(escapes?.living() ?? [])];
    };
    const maybeSettle = (): void => {
      if (settled || !exit || !closed || killTimer) return;
      settled = true;
      clearTimeout(pipeTimer);
      opts.nextEvent?.removeEventListener('abort', onNextEvent);
      opts.cancel?.removeEventListener('abort', onCancel);
      const finish = (survivors: number[]): void => resolve({
        pid: pgid, exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stoppedBy, signals, leftRunning,
        escaped: escapes?.found() ?? [], survivors, pipesHeldOpen, durationMs: exit?.atMs ?? at(), stdout: stdout(), stderr: stderr(),
      });
      // Nothing was ever signalled: the hook's exit found its group empty and no escapee, so there
      // is nothing to look for again (the common case, one scan per run).
      if (!signals.length && !escapes?.found().length) return finish([]);
      // A last look: an escapee may have started one more before it was killed.
      escapes?.scan(runTable());
      sendEscapees('SIGKILL');
      if (!living().length) finish([]);
      else setTimeout(() => finish(living()), survivorRecheckMs);
    };

    child.once('spawn', () => pgid !== undefined && opts.onSpawn?.(pgid));
    child.once('error', (e) => {
      if (settled || exit) return;
      settled = true;
      clearTimeout(timeout);
      opts.nextEvent?.removeEventListener('abort', onNextEvent);
      opts.cancel?.removeEventListener('abort', onCancel);
      resolve({
        pid: pgid, exitCode: null, signal: null, stoppedBy: undefined, signals, leftRunning, escaped: [], survivors: [],
        pipesHeldOpen: false, durationMs: at(), stdout: stdout(), stderr: stderr(), spawnError: e.message,
      });
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal, atMs: at() };
      clearTimeout(timeout);
      const table = runTable();
      const rest = pgid === undefined ? [] : groupMembers(pgid, table);
      escapes?.scan(table);
      const escapees = escapes?.living() ?? [];
      if (killTimer && !rest.length && !escapees.length) {
        clearTimeout(killTimer); // everything ended on SIGTERM: no SIGKILL needed
        killTimer = undefined;
      } else if (!stoppedBy) {
        if (rest.length) {
          leftRunning = rest;
          sendGroup('SIGKILL', 'left-running');
        }
        sendEscapees('SIGKILL');
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
