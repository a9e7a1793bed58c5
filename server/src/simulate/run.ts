import * as os from 'node:os';
import * as path from 'node:path';
import { RunFacts, simulationDefaults } from '../protocol';
import { EscapedProcess, GroupRunResult, runGroup } from './group-run';
import { Captured, defaultOutputCap } from './output';
import { NotRunReason, preflight, preflightAsArgument } from './preflight';
import { Sandbox } from './sandbox/sandbox';
import { diffState, RunState } from './sandbox/state';
import { createShims, RecordedCommand, shimLogVar, Shims, UninterceptedCall } from './shims';
import { uninterceptable, unreadable } from './sourcedCalls';

export interface RunStep {
  /** The event the hook runs for, in the family's words. */
  readonly event: string;
  /** Absolute path of the hook. */
  readonly script: string;
  /** Passed verbatim on top of the clean base (never through a shell). */
  readonly env?: Readonly<Record<string, string>>;
  /** Run as `<shell> <script>` instead of exec'd (ocserv-fw runs ocserv's scripts with /bin/sh): no execute bit or #! line needed. */
  readonly shell?: string;
  /** Arguments after the script's path (NetworkManager's $1 interface and $2 action); none by default. */
  readonly args?: readonly string[];
  /** The working folder the runner starts it in; default: the hook's own folder. */
  readonly cwd?: string;
}

export interface RunOptions {
  /** Default 60 s, the seed's SCRIPT_TIMEOUT_SEC. */
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL at the timeout; default 1 s. */
  readonly graceMs?: number;
  /** Bytes kept of stdout and of stderr each; default 1 MiB. */
  readonly outputCap?: number;
  /** Run for real: no shims in PATH. */
  readonly live?: boolean;
  /** Shims to reuse (a sequence shares one folder); without them a dry run makes its own. */
  readonly shims?: Shims;
  /** Aborted when the next event fires and the profile asks to terminate the script. */
  readonly nextEvent?: AbortSignal;
  /** Between SIGTERM and SIGKILL on the next event; default 500 ms as in the seed. */
  readonly nextEventGraceMs?: number;
  /** The user cancelled: SIGTERM to the group, SIGKILL after the grace. */
  readonly cancel?: AbortSignal;
  readonly onStdout?: (text: string) => void;
  readonly onStderr?: (text: string) => void;
  readonly onSpawn?: (pid: number) => void;
  readonly platform?: NodeJS.Platform;
  /** Run inside this sandbox (a dry run): the hook's spawn goes in, the state is read before and after. */
  readonly sandbox?: Sandbox;
  /** Without a sandbox: run even when the hook has calls the shims cannot intercept. */
  readonly allowUnintercepted?: boolean;
  /** What the hook leaves running gets SIGHUP (then SIGKILL after the grace), as openconnect does on shutdown. */
  readonly hangUpLeftRunning?: boolean;
}

/** The report of one run: the group run's facts plus what the simulation adds (documented on RunFacts). */
export interface RunResult extends RunFacts {
  readonly event: string;
}

/** Windows script types go through their host, as the Windows client starts them; anything else is exec'd itself. */
export function launcherFor(
  script: string,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[]; argv0?: string } {
  if (platform === 'win32') {
    const ext = path.extname(script).toLowerCase();
    if (ext === '.vbs') return { file: 'cscript.exe', args: ['//NoLogo', script] };
    if (ext === '.ps1')
      return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script] };
    if (ext === '.bat' || ext === '.cmd') return { file: 'cmd.exe', args: ['/d', '/c', script] };
  }
  return { file: script, args: [], argv0: path.basename(script) };
}

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** What to start for a hook: the program (the hook itself, its host, or the shell of a generated wrapper), its arguments, where. */
export interface Launch {
  readonly file: string;
  readonly args?: readonly string[];
  readonly argv0?: string;
  readonly cwd: string;
}

/**
 * The one way a simulation starts a hook's process, whatever its family: the clean environment
 * with the shims first in PATH (dry run), the family's variables on top, inside the sandbox when
 * there is one (its state read before and after), then runGroup (its own process group, timeout,
 * grace, next-event termination, escapees, output caps). What the shims recorded comes back with
 * the run, and the escapees only the sandbox's PID namespace knew of are among the run's.
 */
export async function runLaunch(
  launch: Launch,
  env: Readonly<Record<string, string>>,
  shims: Shims | undefined,
  opts: RunOptions,
): Promise<{ run: GroupRunResult; commands: RecordedCommand[]; state?: RunState }> {
  const sandbox = opts.sandbox;
  // Read while the hook's waiter starts, which starts the hook once it is there (see Launch.gate).
  const before = sandbox?.probe();
  before?.catch(() => undefined); // thrown below, once the run that never started has ended
  const record = shims?.record(sandbox?.hostPid);
  let commands: RecordedCommand[] = [];
  let lost: string | undefined;
  const leave = sandbox?.enter();
  let spawned: number | undefined;
  const run = await runGroup(launch.file, {
    args: launch.args,
    argv0: launch.argv0,
    cwd: launch.cwd,
    env: { ...baseEnv(shims), ...env },
    timeoutMs: opts.timeoutMs ?? simulationDefaults.timeoutMs,
    graceMs: opts.graceMs ?? simulationDefaults.graceMs,
    outputCap: opts.outputCap ?? defaultOutputCap,
    nextEvent: opts.nextEvent,
    nextEventGraceMs: opts.nextEventGraceMs ?? simulationDefaults.nextEventGraceMs,
    cancel: opts.cancel,
    onStdout: opts.onStdout,
    onStderr: opts.onStderr,
    onSpawn: (pid) => {
      spawned = pid;
      record?.started(pid);
      opts.onSpawn?.(pid);
    },
    wrap: sandbox && ((l) => sandbox.wrap({ ...l, gate: before })),
    ownProcess: sandbox?.ownProcess,
    hangUpLeftRunning: opts.hangUpLeftRunning,
  }).finally(() => void ({ calls: commands, lost } = record?.end() ?? { calls: [] }));
  const leftovers = (await leave?.(spawned)) ?? [];
  const stateBefore = await before;
  const after = await sandbox?.probe();
  const limit = sandbox?.limitHit(); // after the probe: the holder said so before answering it
  const notes = [limit, lost].filter((n) => n !== undefined);
  const stderr = notes.length
    ? { ...run.stderr, text: `${run.stderr.text}${run.stderr.text && !run.stderr.text.endsWith('\n') ? '\n' : ''}${notes.join('\n')}\n` }
    : run.stderr;
  return {
    run: { ...run, stderr, escaped: withLeftovers(run.escaped, leftovers) },
    commands,
    ...(stateBefore && after ? { state: { before: stateBefore, after, diff: diffState(stateBefore, after) } } : {}),
  };
}

/** Runs one hook as the executor would (execl of the file, clean environment, empty stdin). */
export async function runHook(step: RunStep, opts: RunOptions = {}): Promise<RunResult> {
  const checked = step.shell ? preflightAsArgument(step.script) : preflight(step.script, opts.platform, opts.live === true);
  if (!checked.ok) return notRun(step, checked);
  // Before the hook runs, on the text that will run: in shims mode a call no shim stands in for refuses the run.
  const notIntercepted =
    checked.shellText === undefined ? [unreadable(step.script)] : await uninterceptable(checked.shellText, path.dirname(step.script));
  const sandbox = opts.live ? undefined : opts.sandbox;
  if (!opts.live && !sandbox && notIntercepted.length && !opts.allowUnintercepted) {
    return { ...notRun(step, { reason: 'unintercepted', message: refusal(notIntercepted) }), notIntercepted };
  }
  const shims = opts.live ? undefined : (opts.shims ?? createShims());
  try {
    const { run, commands, state } = await runLaunch(
      {
        ...withArgs(step.shell ? { file: step.shell, args: [step.script] } : launcherFor(step.script, opts.platform), step.args),
        cwd: step.cwd ?? path.dirname(step.script),
      },
      step.env ?? {},
      shims,
      { ...opts, sandbox },
    );
    return {
      event: step.event,
      script: step.script,
      pid: run.pid,
      exitCode: run.exitCode,
      signal: run.signal,
      ...(run.spawnError ? { notRun: { reason: 'spawn-failed' as const, message: run.spawnError } } : {}),
      timedOut: run.stoppedBy === 'timeout',
      terminatedByNextEvent: run.stoppedBy === 'next-event',
      cancelled: run.stoppedBy === 'cancelled',
      signalsSent: run.signals,
      leftRunning: run.leftRunning,
      survivors: run.survivors,
      pipesHeldOpen: run.pipesHeldOpen,
      escaped: run.escaped,
      durationMs: run.durationMs,
      ...outputs(run.stdout, run.stderr),
      commands,
      notIntercepted,
      ...(state ? { state } : {}),
    };
  } finally {
    if (shims && !opts.shims) shims.dispose();
  }
}

/** The launch with the step's own arguments after the launcher's. */
function withArgs<T extends { args: string[] }>(launch: T, args: readonly string[] | undefined): T {
  return args?.length ? { ...launch, args: [...launch.args, ...args] } : launch;
}

/** The escapees the group run found, then those only the sandbox's PID namespace knew of. */
export function withLeftovers(escaped: readonly EscapedProcess[], leftovers: readonly EscapedProcess[]): EscapedProcess[] {
  return [...escaped, ...leftovers.filter((l) => !escaped.some((e) => e.pid === l.pid))];
}

/** Shims mode refuses a hook with calls no shim can stand in for: they would change this machine. */
export function refusal(calls: readonly UninterceptedCall[]): string {
  const list = calls
    .slice(0, 10)
    .map((c) => `line ${c.line}: ${c.text.split('\n')[0].slice(0, 120)}`)
    .join('; ');
  const more = calls.length > 10 ? ` and ${calls.length - 10} more` : '';
  return (
    `Without a sandbox only the shims intercept commands, and ${calls.length} call(s) in this hook would bypass ` +
    `them and run for real (${list}${more}). Run it in the sandbox (--isolation sandbox), or allow it knowingly ` +
    `(--allow-unintercepted).`
  );
}

/** A clean base, not the editor's environment: what a hook sees under the VPN client is this small. Shims go first in PATH. */
export function baseEnv(shims: Shims | undefined): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: shims ? `${shims.dir}${path.delimiter}${basePath}` : basePath,
    HOME: os.homedir(),
    LANG: process.env.LANG ?? 'C.UTF-8',
  };
  if (shims) base[shimLogVar] = shims.channel;
  return base;
}

function outputs(stdout: Captured, stderr: Captured) {
  return { stdout: stdout.text, stderr: stderr.text, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated };
}

function notRun(step: RunStep, why: { reason: NotRunReason; message: string }): RunResult {
  return { event: step.event, script: step.script, ...nothingRan(why) };
}

/** The facts of a run that never started (refused, or its file unusable): no exit, no signal, no output, no commands. */
export function nothingRan(why: { reason: NotRunReason; message: string }) {
  return {
    notRun: { reason: why.reason, message: why.message },
    exitCode: null,
    signal: null,
    timedOut: false,
    terminatedByNextEvent: false,
    cancelled: false,
    signalsSent: [],
    leftRunning: [],
    survivors: [],
    pipesHeldOpen: false,
    durationMs: 0,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    commands: [],
    notIntercepted: [],
  };
}
