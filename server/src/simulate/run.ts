import * as os from 'node:os';
import * as path from 'node:path';
import { loadShellParser } from '../shell/parser';
import { RunFacts, simulationDefaults } from '../protocol';
import { GroupRunResult, runGroup } from './group-run';
import { Captured, defaultOutputCap } from './output';
import { NotRunReason, preflight } from './preflight';
import { createShims, RecordedCommand, recordedCommands, shimLogVar, Shims, UninterceptedCall, uninterceptedCalls } from './shims';

export interface RunStep {
  /** The event the hook runs for, in the family's words. */
  readonly event: string;
  /** Absolute path of the hook. */
  readonly script: string;
  /** Passed verbatim on top of the clean base (never through a shell). */
  readonly env?: Readonly<Record<string, string>>;
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
}

/** The report of one run: the group run's facts plus what the simulation adds (documented on RunFacts). */
export interface RunResult extends RunFacts {
  readonly event: string;
}

/** Windows script types go through their host, as the Windows client starts them; anything else is exec'd itself. */
export function launcherFor(script: string, platform: NodeJS.Platform = process.platform): { file: string; args: string[]; argv0?: string } {
  if (platform === 'win32') {
    const ext = path.extname(script).toLowerCase();
    if (ext === '.vbs') return { file: 'cscript.exe', args: ['//NoLogo', script] };
    if (ext === '.ps1') return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script] };
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
 * with the shims first in PATH (dry run), the family's variables on top, then runGroup (its own
 * process group, timeout, grace, next-event termination, escapees, output caps); what the shims
 * recorded comes back with the run.
 */
export async function runLaunch(launch: Launch, env: Readonly<Record<string, string>>, shims: Shims | undefined, opts: RunOptions): Promise<{ run: GroupRunResult; commands: RecordedCommand[] }> {
  const log = shims?.newLog();
  const run = await runGroup(launch.file, {
    args: launch.args,
    argv0: launch.argv0,
    cwd: launch.cwd,
    env: { ...baseEnv(shims, log), ...env },
    timeoutMs: opts.timeoutMs ?? simulationDefaults.timeoutMs,
    graceMs: opts.graceMs ?? simulationDefaults.graceMs,
    outputCap: opts.outputCap ?? defaultOutputCap,
    nextEvent: opts.nextEvent,
    nextEventGraceMs: opts.nextEventGraceMs ?? simulationDefaults.nextEventGraceMs,
    cancel: opts.cancel,
    onStdout: opts.onStdout,
    onStderr: opts.onStderr,
    onSpawn: opts.onSpawn,
  });
  return { run, commands: log ? recordedCommands(log) : [] };
}

/** Runs one hook as the executor would (execl of the file, clean environment, empty stdin). */
export async function runHook(step: RunStep, opts: RunOptions = {}): Promise<RunResult> {
  const checked = preflight(step.script, opts.platform);
  if (!checked.ok) return notRun(step, checked);
  const shims = opts.live ? undefined : (opts.shims ?? createShims());
  try {
    const { run, commands } = await runLaunch({ ...launcherFor(step.script, opts.platform), cwd: path.dirname(step.script) }, step.env ?? {}, shims, opts);
    // Parsed after the run: compiling the shell grammar competes with the hook for the CPU.
    const notIntercepted = checked.shellText === undefined ? [] : await uninterceptable(checked.shellText);
    return {
      event: step.event, script: step.script, pid: run.pid, exitCode: run.exitCode, signal: run.signal,
      ...(run.spawnError ? { notRun: { reason: 'spawn-failed' as const, message: run.spawnError } } : {}),
      timedOut: run.stoppedBy === 'timeout', terminatedByNextEvent: run.stoppedBy === 'next-event', cancelled: run.stoppedBy === 'cancelled',
      signalsSent: run.signals, leftRunning: run.leftRunning, survivors: run.survivors, pipesHeldOpen: run.pipesHeldOpen, escaped: run.escaped,
      durationMs: run.durationMs, ...outputs(run.stdout, run.stderr),
      commands, notIntercepted,
    };
  } finally {
    if (shims && !opts.shims) shims.dispose();
  }
}

/** A clean base, not the editor's environment: what a hook sees under the VPN client is this small. Shims go first in PATH. */
export function baseEnv(shims: Shims | undefined, log: string | undefined): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: shims ? `${shims.dir}${path.delimiter}${basePath}` : basePath,
    HOME: os.homedir(),
    LANG: process.env.LANG ?? 'C.UTF-8',
  };
  if (log) base[shimLogVar] = log;
  return base;
}

async function uninterceptable(text: string): Promise<UninterceptedCall[]> {
  await loadShellParser();
  return uninterceptedCalls(text);
}

function outputs(stdout: Captured, stderr: Captured) {
  return { stdout: stdout.text, stderr: stderr.text, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated };
}

function notRun(step: RunStep, why: { reason: NotRunReason; message: string }): RunResult {
  return {
    event: step.event, script: step.script, notRun: { reason: why.reason, message: why.message }, exitCode: null, signal: null,
    timedOut: false, terminatedByNextEvent: false, cancelled: false, signalsSent: [], leftRunning: [], survivors: [], pipesHeldOpen: false,
    durationMs: 0, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, commands: [], notIntercepted: [],
  };
}
