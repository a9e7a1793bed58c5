/**
 * The simulation as seen by its faces: the LSP command (any LSP client), the VS Code client and the
 * CLI's --json all speak these shapes. Keep them plain JSON: they cross the wire as they are.
 */
import type { HookEvent, RunResult } from './run';
import type { AtNextEvent } from './sequence';
import type { Isolation } from './sandbox/detect';

/** workspace/executeCommand name; arguments: [SimulationRequest]. Returns a SimulationReport. */
export const simulateCommand = 'hooksmith.server.simulate';

/** Server → client notification carrying output as it arrives (params: SimulationOutput). */
export const simulationOutputNotification = 'hooksmith/simulationOutput';

/** Client → server notification ({ trusted: boolean }): the workspace's trust changed. Until trusted, the server refuses to simulate. */
export const workspaceTrustNotification = 'hooksmith/workspaceTrust';

/** The commands Shorewall's CLI runs that have run-time hooks. */
export const shorewallCommands = ['start', 'restart', 'reload', 'refresh', 'stop', 'clear', 'restore'] as const;
export type ShorewallCommand = (typeof shorewallCommands)[number];

/** How a dry run is isolated: a throwaway sandbox where one can start (auto), only the sandbox, or only the shims. */
export const isolationModes = ['auto', 'sandbox', 'shims'] as const;
export type IsolationMode = (typeof isolationModes)[number];

/** The version of the report's JSON shape (README: "The simulation report"); raised when a field changes meaning. */
export const reportFormatVersion = 2;

interface RequestBase {
  /** Echoed in every SimulationOutput notification, so a client can route output to its view. */
  readonly id?: string;
  readonly timeoutMs?: number;
  readonly graceMs?: number;
  /** Run for real: no shims in PATH. A UI must have the user confirm it. */
  readonly live?: boolean;
  /** Default auto. */
  readonly isolation?: IsolationMode;
  /** Shims mode: run even when the hook has calls no shim can intercept (they would run for real). */
  readonly allowUnintercepted?: boolean;
  /** Per-hook limits in the sandbox; defaults from the settings. */
  readonly limits?: SandboxLimits;
}

export interface SandboxLimits {
  readonly memoryMB: number;
  readonly processes: number;
  readonly fileSizeMB: number;
  readonly cpuSeconds: number;
}

export interface AnyConnectRequest extends RequestBase {
  readonly kind: 'anyconnect';
  /** One event, or a sequence fired `gapMs` apart (TerminateScriptOnNextEvent applies between them). */
  readonly events: readonly HookEvent[];
  readonly gapMs?: number;
  /** A profile file: its script elements, TerminateScriptOnNextEvent and first HostEntry are used. */
  readonly profile?: string;
  /** The script folder. Default: beside the profile (its folder, script/, scripts/). */
  readonly scripts?: string;
  /** Run this file for every event instead of choosing one (a CodeLens on a hook file). */
  readonly script?: string;
  /** On top of the CISCO_VPN_* defaults; passed verbatim. */
  readonly env?: Readonly<Record<string, string>>;
  /** Overrides the profile's TerminateScriptOnNextEvent. */
  readonly terminateOnNextEvent?: boolean;
}

export interface ShorewallRequest extends RequestBase {
  readonly kind: 'shorewall';
  readonly command: ShorewallCommand;
  /** The folder holding the hooks (CONFDIR), /etc/shorewall on a real machine. */
  readonly confdir: string;
  /** $1 for isusable and findgw; default eth0. */
  readonly interface?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export type SimulationRequest = AnyConnectRequest | ShorewallRequest;

export interface SimulationOutput {
  readonly id?: string;
  /** Index of the run in the report's runs. */
  readonly run: number;
  /** Label of that run, as in the report. */
  readonly label: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** How the script for an event was found. */
export interface ScriptChoice {
  readonly rule: 'profile-element' | 'cisco-prefix' | 'explicit';
  /** One sentence a person reads: "<OnConnectScript> in corporate.xml names OnConnect_routes.sh". */
  readonly detail: string;
  /** Other files the prefix rule matched: the real client's pick among them is unpredictable. */
  readonly alsoMatched?: readonly string[];
}

/** Fields every run has, whatever the family. */
export interface RunReport extends Omit<RunResult, 'event'> {
  /** "connect", "disconnect", or "shorewall start: init". */
  readonly label: string;
  /** The variables the simulation set for the hook (not PATH, HOME, LANG). */
  readonly env: Readonly<Record<string, string>>;
  /** What a person should know about this run beyond its exit: a run_iptables in started, an exit in a function body. */
  readonly warnings: readonly string[];
}

export interface AnyConnectRun extends RunReport {
  readonly event: HookEvent;
  readonly chosenBy: ScriptChoice;
  readonly firedAtMs: number;
  readonly startedAtMs: number;
  readonly atNextEvent: AtNextEvent;
}

export interface ShorewallRun extends RunReport {
  /** The hook file's name: init, start, started, ... */
  readonly hook: string;
}

/** An event or hook that had nothing to run, or that is never run by a simulation (compile-time Perl). */
export interface Skipped {
  readonly label: string;
  readonly reason: string;
}

export interface SimulationReport {
  readonly kind: SimulationRequest['kind'];
  /** reportFormatVersion: raised when a field changes meaning. */
  readonly formatVersion: number;
  /** What stood between the hooks and this machine, and why. */
  readonly isolation: Isolation;
  readonly runs: readonly (AnyConnectRun | ShorewallRun)[];
  readonly skipped: readonly Skipped[];
  /** Facts about the whole simulation: "dry run", the profile read, TerminateScriptOnNextEvent and where it came from. */
  readonly notes: readonly string[];
  readonly dryRun: boolean;
  /** Every run started and exited 0: the CLI's exit status 0. */
  readonly ok: boolean;
  readonly cancelled: boolean;
}
