import { ChildProcessByStdio, ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import type { EscapedProcess, GroupEnd, SignalSent, StopReason } from '../protocol';
import { EscapeWatch, runMarkerVar, watchEscapes } from './escapees';
import { groupHasLiving, groupMembers, processesSince, signalGroup } from './group';
import { capture, Captured } from './output';
import type { Launch } from './sandbox/sandbox';

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
  /** Rewrites the spawn (the sandbox starts the hook inside its namespaces); the process group is the rewritten one's. */
  readonly wrap?: (launch: Launch) => Launch;
  /**
   * What the hook leaves running in its group gets SIGHUP first (SIGKILL after `graceMs` if it
   * lives on), as openconnect hangs up its script's group on shutdown; default: SIGKILL at once.
   */
  readonly hangUpLeftRunning?: boolean;
  /** Processes of the isolation itself (a sandboxed run's init), never the hook's: the escape scan passes them by. */
  readonly ownProcess?: (pid: number) => boolean;
}

export type { EscapedProcess };

export interface GroupRunResult extends GroupEnd {
  readonly pid: number | undefined;
  readonly stoppedBy: StopReason | undefined;
  readonly signals: readonly SignalSent[];
  /**
   * Processes the hook started that left its process group (setsid, setpgid), which the group's
   * signals miss. Found by a scan of /proc (see escapees.ts) and signalled one by one, each time the
   * group is: SIGTERM and SIGKILL at a timeout or next event, SIGKILL when the hook has exited.
   */
  readonly escaped: readonly EscapedProcess[];
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
 * the timeout sends SIGTERM to the whole group and arms a SIGKILL after the grace. The kill
 * protocol is the state machine below (KillProtocol); this function spawns and wires events to it.
 */
export function runGroup(file: string, opts: GroupRunOptions): Promise<GroupRunResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // The global Web Crypto, not node:crypto: importing that module costs every CLI start ~3 ms, even a lint.
    const marker = crypto.randomUUID();
    const direct: Launch = {
      file,
      args: opts.args ?? [],
      // execl(path, name); for a #! script the kernel then passes the path to the interpreter, as for the real executor
      argv0: opts.argv0 ?? path.basename(file),
      cwd: opts.cwd ?? path.dirname(file),
      env: { ...opts.env, [runMarkerVar]: marker },
    };
    const launch = opts.wrap ? opts.wrap(direct) : direct;
    // A process started ahead for the launch (see Launch.started) was spawned as this one would be: detached, these pipes.
    const child = (launch.started ??
      spawn(launch.file, launch.args, {
        argv0: launch.argv0,
        cwd: launch.cwd,
        env: launch.env,
        detached: true, // its own process group, so one kill reaches everything it starts
        stdio: launch.gate ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      })) as ChildProcessByStdio<null, Readable, Readable>;
    if (launch.gate) openGate(child.stdio[3] as Duplex, launch.gate);
    const protocol = new KillProtocol(child, marker, t0, opts, resolve);
    const spawned = (): void => void (child.pid !== undefined && opts.onSpawn?.(child.pid));
    if (launch.started)
      process.nextTick(spawned); // its 'spawn' came long ago
    else child.once('spawn', spawned);
    child.once('error', (e) => protocol.spawnFailed(e));
    child.once('exit', (code, signal) => protocol.hookExited(code, signal));
    child.once('close', () => protocol.outputClosed());
  });
}

/** A launch's gate (see Launch.gate): one byte on its pipe once it resolves; the pipe's end alone if it rejects. */
function openGate(pipe: Duplex, gate: Promise<unknown>): void {
  pipe.on('error', () => undefined); // the waiter gone already: its exit tells
  pipe.resume(); // its end is read, so that the child's 'close' comes
  gate.then(
    () => pipe.end('1'),
    () => pipe.end(),
  );
}

/**
 * Where a run is in the kill protocol:
 *
 * | phase       | event                                | action                                                             | next        |
 * | ----------- | ------------------------------------ | ------------------------------------------------------------------ | ----------- |
 * | running     | timeout, next event, cancel          | SIGTERM to the group and its escapees; SIGKILL armed after grace   | terminating |
 * | running     | hook exited                          | SIGKILL to what is left of the group ("left-running"), escapees    | draining    |
 * | terminating | hook exited, group and escapees gone | the SIGKILL is disarmed                                            | draining    |
 * | terminating | hook exited, something still living  | (the grace runs out)                                               | terminating |
 * | terminating | grace expired                        | SIGKILL to the group (if a member lives) and to escapees           | draining    |
 * | draining    | (a timeout, next event or cancel)    | none: the run is already ending                                    | draining    |
 * | any         | spawn failed, before the hook exited | settled with the error                                             | settled     |
 *
 * Beside the phase, the output: every SIGKILL and the hook's exit arm the pipe deadline; output
 * still open at the deadline is held by a process outside the group, which a scan looks for (by
 * the pipes it holds) and kills, and reading stops. The run settles once the hook has exited, its
 * output is closed and the phase is draining: a last scan for escapees, then the survivors.
 */
type Phase = 'running' | 'terminating' | 'draining' | 'settled';

class KillProtocol {
  private phase: Phase = 'running';
  private readonly pgid: number | undefined;
  private readonly escapes: EscapeWatch | undefined;
  private readonly stdout: () => Captured;
  private readonly stderr: () => Captured;
  private readonly signals: SignalSent[] = [];
  private readonly timeout: NodeJS.Timeout;
  private stoppedBy: StopReason | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private pipeTimer: NodeJS.Timeout | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
  private leftRunning: number[] = [];
  private closed = false;
  private pipesHeldOpen = false;
  private readonly onNextEvent = (): void => this.stop('next-event', this.opts.nextEventGraceMs);
  private readonly onCancel = (): void => this.stop('cancelled', this.opts.graceMs);

  constructor(
    private readonly child: ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>,
    marker: string,
    private readonly t0: number,
    private readonly opts: GroupRunOptions,
    private readonly resolve: (result: GroupRunResult) => void,
  ) {
    this.pgid = child.pid;
    this.escapes = this.pgid === undefined ? undefined : watchEscapes(this.pgid, marker, opts.ownProcess);
    this.stdout = capture(child.stdout, opts.outputCap, opts.onStdout);
    this.stderr = capture(child.stderr, opts.outputCap, opts.onStderr);
    this.timeout = setTimeout(() => this.stop('timeout', opts.graceMs), opts.timeoutMs);
    opts.nextEvent?.addEventListener('abort', this.onNextEvent, { once: true });
    if (opts.nextEvent?.aborted) this.onNextEvent();
    opts.cancel?.addEventListener('abort', this.onCancel, { once: true });
    if (opts.cancel?.aborted) this.onCancel();
  }

  // ── events ──

  /** running → terminating: the timeout, the next event or a cancel. */
  private stop(why: StopReason, graceMs: number): void {
    if (this.phase !== 'running' || this.exit) return;
    this.phase = 'terminating';
    this.stoppedBy = why;
    clearTimeout(this.timeout);
    const table = this.runTable(); // before the SIGTERM: parent chains still intact for the escape scan
    this.sendGroup('SIGTERM', why);
    this.graceTimer = setTimeout(() => this.graceExpired(), graceMs);
    this.escapes?.scan(table);
    this.sendEscapees('SIGTERM');
  }

  /** draining → terminating: SIGHUP to the group, SIGKILL after the grace to what ignores it. */
  private hangUp(): void {
    this.phase = 'terminating';
    this.sendGroup('SIGHUP', 'hang-up');
    this.graceTimer = setTimeout(() => this.graceExpired(), this.opts.graceMs);
  }

  /** terminating → draining: SIGKILL to whatever still lives. */
  private graceExpired(): void {
    this.graceTimer = undefined;
    this.phase = 'draining';
    // Only living members count: a zombie nobody reaps (no init in a container) keeps the group
    // id in use, and a SIGKILL "sent" to it would report a kill that never happened.
    if (this.pgid !== undefined && groupHasLiving(this.pgid)) this.sendGroup('SIGKILL', 'grace-expired');
    this.escapes?.scan(this.runTable());
    this.sendEscapees('SIGKILL');
    this.trySettle();
  }

  hookExited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.phase === 'settled') return;
    this.exit = { code, signal, atMs: this.at() };
    clearTimeout(this.timeout);
    const table = this.runTable();
    const rest = this.pgid === undefined ? [] : groupMembers(this.pgid, table);
    this.escapes?.scan(table);
    const escapees = this.escapes?.living() ?? [];
    if (this.phase === 'running') {
      // It ended on its own: what it left running in its group, and its escapees, are killed
      // (the group hung up first, with a grace, when what runs the hook would do that).
      this.phase = 'draining';
      if (rest.length) {
        this.leftRunning = rest;
        if (this.opts.hangUpLeftRunning) this.hangUp();
        else this.sendGroup('SIGKILL', 'left-running');
      }
      this.sendEscapees('SIGKILL');
    } else if (this.phase === 'terminating' && !rest.length && !escapees.length) {
      // Everything ended on SIGTERM: no SIGKILL needed.
      clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      this.phase = 'draining';
    }
    this.armPipeDeadline();
    this.trySettle();
  }

  outputClosed(): void {
    this.closed = true;
    this.trySettle();
  }

  /** The output stayed open past the deadline: someone outside the group holds it. */
  private pipeDeadline(): void {
    if (this.closed) return;
    this.pipesHeldOpen = true;
    this.escapes?.scan(this.runTable(), true); // who holds the output?
    this.sendEscapees('SIGKILL');
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.closed = true;
    this.trySettle();
  }

  spawnFailed(e: Error): void {
    if (this.phase === 'settled' || this.exit) return;
    this.phase = 'settled';
    clearTimeout(this.timeout);
    this.detach();
    this.resolve({
      pid: this.pgid,
      exitCode: null,
      signal: null,
      stoppedBy: undefined,
      signals: this.signals,
      leftRunning: this.leftRunning,
      escaped: [],
      survivors: [],
      pipesHeldOpen: false,
      durationMs: this.at(),
      stdout: this.stdout(),
      stderr: this.stderr(),
      spawnError: e.message,
    });
  }

  // ── settling ──

  /** draining → settled, once the hook has exited and its output is closed. */
  private trySettle(): void {
    if (this.phase !== 'draining' || !this.exit || !this.closed) return;
    this.phase = 'settled';
    clearTimeout(this.pipeTimer);
    this.detach();
    // Nothing was ever signalled: the hook's exit found its group empty and no escapee, so there
    // is nothing to look for again (the common case, one scan per run).
    if (!this.signals.length && !this.escapes?.found().length) return this.finish([]);
    // A last look: an escapee may have started one more before it was killed.
    this.escapes?.scan(this.runTable());
    this.sendEscapees('SIGKILL');
    if (!this.living().length) this.finish([]);
    else setTimeout(() => this.finish(this.living()), survivorRecheckMs);
  }

  private finish(survivors: number[]): void {
    const exit = this.exit;
    this.resolve({
      pid: this.pgid,
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
      stoppedBy: this.stoppedBy,
      signals: this.signals,
      leftRunning: this.leftRunning,
      escaped: this.escapes?.found() ?? [],
      survivors,
      pipesHeldOpen: this.pipesHeldOpen,
      durationMs: exit?.atMs ?? this.at(),
      stdout: this.stdout(),
      stderr: this.stderr(),
    });
  }

  // ── actions ──

  private sendGroup(signal: SignalSent['signal'], why: SignalSent['why']): void {
    if (this.pgid !== undefined && signalGroup(this.pgid, signal)) this.signals.push({ signal, atMs: this.at(), why });
    if (signal === 'SIGKILL') this.armPipeDeadline();
  }

  private sendEscapees(signal: SignalSent['signal']): void {
    if (this.escapes?.signal(signal) && signal === 'SIGKILL') this.armPipeDeadline();
  }

  private armPipeDeadline(): void {
    clearTimeout(this.pipeTimer);
    this.pipeTimer = setTimeout(() => this.pipeDeadline(), pipeDeadlineMs);
  }

  private detach(): void {
    this.opts.nextEvent?.removeEventListener('abort', this.onNextEvent);
    this.opts.cancel?.removeEventListener('abort', this.onCancel);
  }

  // ── reading /proc ──

  /** What the hook started is among the processes started since it: cheaper than all of /proc. */
  private runTable() {
    return this.pgid === undefined ? undefined : processesSince(this.pgid);
  }

  private living(): number[] {
    const table = this.runTable();
    return [...(this.pgid === undefined ? [] : groupMembers(this.pgid, table)), ...(this.escapes?.living() ?? [])];
  }

  private at(): number {
    return Math.round(performance.now() - this.t0);
  }
}
