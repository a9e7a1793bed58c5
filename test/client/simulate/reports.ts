// Reports for the client's tests: from real hook runs (the engine's runSequence, real processes and
// signals), wrapped into the protocol's shapes as the server does; plus hand-made runs for states a
// quick run does not reach (not run, Shorewall).
import type { EventRun } from '../../../server/src/protocol';
import type { ShorewallRun } from '../../../server/src/families/shorewall/request';
import type { SimulationReport } from '../../../server/src/protocol';
import { runSequence, SequenceStep } from '../../../server/src/simulate/sequence';

/** Runs the steps for real (dry run: shims record ip, logger, …) and makes an AnyConnect report. */
export async function anyConnectReport(
  steps: SequenceStep[],
  terminateOnNextEvent: boolean,
  onSpawn: (pgid: number) => void,
): Promise<SimulationReport> {
  const results = await runSequence(steps, terminateOnNextEvent, { onSpawn });
  const runs: EventRun[] = results.map((r) => {
    const { event, ...rest } = r;
    return {
      ...rest,
      event,
      label: event,
      env: { CISCO_VPN_EVENT: event },
      warnings: [],
      chosenBy: { rule: 'explicit', detail: `the step names ${r.script}` },
    };
  });
  return {
    kind: 'anyconnect',
    formatVersion: 2,
    isolation: { mode: 'shims', reason: 'test' },
    runs,
    skipped: [],
    notes: ['dry run'],
    dryRun: true,
    ok: runs.every((r) => r.exitCode === 0),
    cancelled: false,
  };
}

export function shorewallRun(hook: string, fields: Partial<ShorewallRun> = {}): ShorewallRun {
  return {
    hook,
    label: `shorewall start: ${hook}`,
    script: `/etc/shorewall/${hook}`,
    env: { COMMAND: 'start' },
    warnings: [],
    exitCode: 0,
    signal: null,
    timedOut: false,
    terminatedByNextEvent: false,
    cancelled: false,
    signalsSent: [],
    leftRunning: [],
    survivors: [],
    pipesHeldOpen: false,
    durationMs: 12,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    commands: [],
    notIntercepted: [],
    ...fields,
  };
}

export function shorewallReport(runs: ShorewallRun[], fields: Partial<SimulationReport> = {}): SimulationReport {
  return {
    kind: 'shorewall',
    formatVersion: 2,
    isolation: { mode: 'shims', reason: 'test' },
    runs,
    skipped: [],
    notes: [],
    dryRun: true,
    ok: runs.every((r) => r.exitCode === 0),
    cancelled: false,
    ...fields,
  };
}
