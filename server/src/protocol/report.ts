/**
 * The simulation report as it crosses the wire (LSP command result, CLI --json): plain JSON.
 * The simulator's modules build these shapes; the faces only read them.
 */

/** Why a hook was not started, as the real executor would have failed on it. */
export type NotRunReason =
  | 'windows-only'
  | 'missing'
  | 'not-executable'
  | 'no-shebang'
  | 'crlf-shebang'
  | 'missing-interpreter'
  | 'not-regular'
  | 'binary-in-dry-run'
  | 'unreadable'
  | 'unintercepted'
  // Not a hook: a step of the software itself (wg-quick's ip link add ...), listed in its place among the hooks where this
  // mode does not run it. It is no failure: isListedStep leaves it out of every verdict.
  | 'listed';

/** A step listed in order with the hooks but not run (shims mode): neither a run nor a failure. */
export function isListedStep(run: { readonly notRun?: { readonly reason: string } }): boolean {
  return run.notRun?.reason === 'listed';
}

export type StopReason = 'timeout' | 'next-event' | 'cancelled';

export interface SignalSent {
  readonly signal: 'SIGTERM' | 'SIGKILL' | 'SIGHUP';
  /** Milliseconds after the spawn. */
  readonly atMs: number;
  /** hang-up: what the hook left running got SIGHUP, as the software that runs it sends on its shutdown (openconnect). */
  readonly why: StopReason | 'grace-expired' | 'left-running' | 'hang-up';
}

export interface EscapedProcess {
  readonly pid: number;
  /** Its command line as /proc shows it (argv joined by spaces). */
  readonly command: string;
  /** How it was tied to the hook. */
  readonly foundBy: 'ancestry' | 'marker' | 'output' | 'namespace';
}

export interface RecordedCommand {
  readonly argv: string[];
  /**
   * In a sandbox: whether the real tool then ran inside it with this argv (and its exit status, when
   * it ended before the run did), or why it was only recorded (not installed on this machine, or a
   * tool that would reach outside the sandbox). Absent without a sandbox: every call is recorded only.
   */
  readonly sandbox?: SandboxedCall;
}

export type SandboxedCall = { readonly ran: true; readonly exitCode?: number } | { readonly ran: false; readonly why: string };

export interface UninterceptedCall {
  /** As written: `/sbin/ip`, `env`, `PATH`. */
  readonly command: string;
  /** 1-based line of the call in the script. */
  readonly line: number;
  readonly text: string;
  /** Why no shim can stand in, in a sentence. */
  readonly why: string;
}

/** The version of the report's JSON shape (README: "The simulation report"); raised when a field changes meaning. */
export const reportFormatVersion = 2;

/** What isolation a run had, and why: every report says it. */
export interface Isolation {
  readonly mode: 'sandbox' | 'shims' | 'live';
  /** The tool that made the namespaces (sandbox mode). */
  readonly tool?: 'bwrap' | 'unshare';
  /** One sentence: why this isolation ran (and, for shims, why the sandbox did not). */
  readonly reason: string;
}

/** A sandbox run's view of the machine's state (routes, addresses, rules, ...), before and after the hook. */
export interface RunStateReport {
  readonly before: Partial<Record<string, string[]>>;
  readonly after: Partial<Record<string, string[]>>;
  readonly diff: readonly { readonly kind: string; readonly change: 'added' | 'removed'; readonly item: string }[];
}

/** What the next event found: the hook done already, or still running and then terminated or waited for. */
export type AtNextEvent = 'last-event' | 'already-finished' | 'terminated' | 'waited-for';

/** How a hook's process group ended: the runner's result (GroupRunResult) and the report's facts share these. */
export interface GroupEnd {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Group members still running when the hook itself exited (then killed: a simulation leaves nothing behind). */
  readonly leftRunning: readonly number[];
  /** Processes of the run (group members or escapees) still living after the last SIGKILL: normally none. */
  readonly survivors: readonly number[];
  /**
   * The output pipes stayed open a second after the group's end: something outside the group held
   * them (and was not found by the escape scan until then). The run stopped reading them.
   */
  readonly pipesHeldOpen: boolean;
  readonly durationMs: number;
}

/** The facts of one run of one hook, whatever its family. */
export interface RunFacts extends GroupEnd {
  readonly script: string;
  /** Set when the hook was not started, with the executor's reason and the fix. */
  readonly notRun?: { readonly reason: NotRunReason | 'spawn-failed'; readonly message: string };
  readonly pid?: number;
  readonly timedOut: boolean;
  readonly terminatedByNextEvent: boolean;
  readonly cancelled: boolean;
  /** Signals sent to the hook's process group, in order. */
  readonly signalsSent: readonly SignalSent[];
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  /** What the shims recorded (dry run): "would run". */
  readonly commands: readonly RecordedCommand[];
  /** Calls by absolute path: they ran for real even in a dry run (no shim can stand in). */
  readonly notIntercepted: readonly UninterceptedCall[];
  /** Processes that left the hook's process group (setsid): found by a /proc scan and killed. */
  readonly escaped?: readonly EscapedProcess[];
  /** Sandbox runs: the state before and after the hook, and their difference. */
  readonly state?: RunStateReport;
}

/** How the script for an event was found. */
export interface ScriptChoice {
  readonly rule: 'profile-element' | 'cisco-prefix' | 'explicit' | 'config-key';
  /** One sentence a person reads: "<OnConnectScript> in corporate.xml names OnConnect_routes.sh". */
  readonly detail: string;
  /** Other files the prefix rule matched: the real client's pick among them is unpredictable. */
  readonly alsoMatched?: readonly string[];
}

/** One run in a report. Fields past RunFacts that only some families fill are optional. */
export interface RunReport extends RunFacts {
  /** The run in its family's words: an event ("connect"), or a command and its hook ("start: init"). */
  readonly label: string;
  /** The variables the simulation set for the hook (not PATH, HOME, LANG). */
  readonly env: Readonly<Record<string, string>>;
  /** What a person should know about this run beyond its exit. */
  readonly warnings: readonly string[];
}

/** A run of an event of a sequence (events fired at times, TerminateScriptOnNextEvent between them). */
export interface EventRun extends RunReport {
  readonly event: string;
  readonly chosenBy: ScriptChoice;
  readonly firedAtMs: number;
  readonly startedAtMs: number;
  readonly atNextEvent: AtNextEvent;
}

/** A run of one hook of a command (a firewall command's hooks in order). */
export interface HookRun extends RunReport {
  /** The hook file's name: init, start, started, ... */
  readonly hook: string;
}

/** An event or hook that had nothing to run, or that is never run by a simulation (compile-time Perl). */
export interface Skipped {
  readonly label: string;
  readonly reason: string;
}

export interface SimulationReport {
  /** The family simulated (the request's kind). */
  readonly kind: string;
  /** reportFormatVersion: raised when a field changes meaning. */
  readonly formatVersion: number;
  /** What stood between the hooks and this machine, and why. */
  readonly isolation: Isolation;
  readonly runs: readonly (EventRun | HookRun)[];
  readonly skipped: readonly Skipped[];
  /** Facts about the whole simulation: "dry run", the profile read, TerminateScriptOnNextEvent and where it came from. */
  readonly notes: readonly string[];
  readonly dryRun: boolean;
  /** Every run started and exited 0: the CLI's exit status 0. */
  readonly ok: boolean;
  readonly cancelled: boolean;
}

export interface SimulationOutput {
  readonly id?: string;
  /** Index of the run in the report's runs. */
  readonly run: number;
  /** Label of that run, as in the report. */
  readonly label: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}
