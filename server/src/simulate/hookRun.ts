import type { HookRun } from '../protocol';
import type { GroupRunResult } from './group-run';
import { nothingRan, refusal } from './run';
import type { UninterceptedCall } from './shims';

/** What names a run of a command's hook in the report. */
export interface HookRunBase {
  readonly label: string;
  readonly hook: string;
  readonly script: string;
  readonly env: Record<string, string>;
}

/** A run of a hook a family's runner started through runLaunch, as the report shows it. */
export function hookRunReport(
  base: HookRunBase,
  run: GroupRunResult,
  extra: Pick<HookRun, 'warnings' | 'commands' | 'notIntercepted'>,
): HookRun {
  return {
    ...base,
    pid: run.pid,
    exitCode: run.exitCode,
    signal: run.signal,
    ...(run.spawnError ? { notRun: { reason: 'spawn-failed' as const, message: run.spawnError } } : {}),
    timedOut: run.stoppedBy === 'timeout',
    terminatedByNextEvent: false,
    cancelled: run.stoppedBy === 'cancelled',
    signalsSent: run.signals,
    leftRunning: run.leftRunning,
    survivors: run.survivors,
    pipesHeldOpen: run.pipesHeldOpen,
    escaped: run.escaped,
    durationMs: run.durationMs,
    stdout: run.stdout.text,
    stderr: run.stderr.text,
    stdoutTruncated: run.stdout.truncated,
    stderrTruncated: run.stderr.truncated,
    ...extra,
  };
}

/** Shims mode: the hook has calls no shim stands in for, and the user did not allow them. */
export function refusedHookRun(base: HookRunBase, notIntercepted: UninterceptedCall[]): HookRun {
  return { ...base, ...nothingRan({ reason: 'unintercepted', message: refusal(notIntercepted) }), warnings: [], notIntercepted };
}

/**
 * A step of the software itself (not a hook), listed in its place among the hooks where this mode does not run it: the report reads
 * the same in every mode, and isListedStep keeps it out of every verdict.
 */
export function listedStepRun(base: HookRunBase, message: string): HookRun {
  return { ...base, ...nothingRan({ reason: 'listed', message }), warnings: [] };
}
