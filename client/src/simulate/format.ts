/**
 * The words every face of a simulation report uses (output channel, task terminal, result view).
 * Pure: no `vscode` import, so it is unit-tested in Node.
 */
import { recordedCall, shellWords } from '../../../server/src/cli/simulateText';
import type { EventRun, HookRun } from '../../../server/src/protocol';
import type { SimulationReport, SimulationRequest } from '../../../server/src/protocol';
import { isListedStep, pathsOf, requestPathFields } from '../../../server/src/protocol';

export type Run = EventRun | HookRun;
export type SignalSent = Run['signalsSent'][number];

/** A run of an event in a sequence (it has a time and a rule that chose it). */
export function isEventRun(run: Run): run is EventRun {
  return 'chosenBy' in run;
}

/** The file name of a path written with / or \ (the report may come from either platform). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

/** A recorded argv as a command line a person can read and paste (the CLI's wording). */
export const commandLine: (argv: readonly string[]) => string = shellWords;

/** A recorded call with what the sandbox did with it (ran, exit status; or why not), in the CLI's words. */
export { recordedCall };

/** "connect — OnConnect_routes.sh" */
export function runTitle(run: Run): string {
  return `${run.label} — ${baseName(run.script)}`;
}

/** How the script was found, when the report says (AnyConnect runs). */
export function chosenBy(run: Run): string | undefined {
  return isEventRun(run) ? run.chosenBy.detail.replace(/\.$/, '') : undefined;
}

/** "connect — OnConnect_routes.sh (chosen by: <OnConnectScript> in corporate.xml names OnConnect_routes.sh)" */
export function runHeader(run: Run): string {
  const why = chosenBy(run);
  return why ? `${runTitle(run)} (chosen by: ${why})` : runTitle(run);
}

export type OutcomeKind = 'ok' | 'failed' | 'stopped' | 'not-run';

export function outcomeKind(run: Run): OutcomeKind {
  if (run.notRun) return 'not-run';
  if (run.timedOut || run.terminatedByNextEvent || run.cancelled || run.signal) return 'stopped';
  return run.exitCode === 0 ? 'ok' : 'failed';
}

/** What ended the run, in a few words: "exit 0", "timed out: killed by SIGKILL", "not run: …". */
export function outcome(run: Run): string {
  if (run.notRun) return `not run: ${run.notRun.message}`;
  const ending = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode ?? '?'}`;
  if (run.timedOut) return `timed out: ${ending}`;
  if (run.terminatedByNextEvent) return `terminated by the next event: ${ending}`;
  if (run.cancelled) return `cancelled: ${ending}`;
  return ending;
}

const signalReasons: Readonly<Record<SignalSent['why'], string>> = {
  timeout: 'timeout',
  'next-event': 'the next event fired',
  cancelled: 'the simulation was cancelled',
  'grace-expired': 'still running after the grace',
  'left-running': 'processes left running after the hook exited',
  'hang-up': 'processes left running, hung up as on the shutdown of what runs the hook',
};

/** "SIGTERM at 1000 ms (timeout)"; times are after the hook started. */
export function signalText(signal: SignalSent): string {
  return `${signal.signal} at ${signal.atMs} ms (${signalReasons[signal.why] ?? signal.why})`;
}

/** What the next event found, or undefined for the last event. */
export function atNextEventText(run: Run): string | undefined {
  if (!isEventRun(run)) return undefined;
  switch (run.atNextEvent) {
    case 'already-finished':
      return 'finished before the next event';
    case 'terminated':
      return 'still running at the next event: terminated (TerminateScriptOnNextEvent)';
    case 'waited-for':
      return 'still running at the next event: the next hook waited for it';
    default:
      return undefined;
  }
}

/** The facts of one run beyond its title, outcome and warnings (the server words those), one short line each. */
export function runFacts(run: Run): string[] {
  const facts: string[] = [];
  if (isEventRun(run)) {
    facts.push(`event at ${run.firedAtMs} ms, hook started at ${run.startedAtMs} ms, ran ${run.durationMs} ms`);
  } else if (!run.notRun) {
    facts.push(`ran ${run.durationMs} ms`);
  }
  const next = atNextEventText(run);
  if (next) facts.push(next);
  if (run.pipesHeldOpen) facts.push('a process outside its group kept the output open: reading stopped');
  return facts;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line for the whole simulation: "Dry run: 2 runs, 1 failed (disconnect: exit 4); 3 commands would have run." */
export function summaryLine(report: SimulationReport): string {
  const mode = report.dryRun ? 'Dry run' : 'LIVE run';
  const bad = report.runs.filter((r) => outcomeKind(r) !== 'ok' && !isListedStep(r));
  const commands = report.runs.reduce((n, r) => n + r.commands.length, 0);
  const parts = [plural(report.runs.length, 'run')];
  if (bad.length) parts.push(`${bad.length} not ok (${bad.map((r) => `${r.label}: ${outcome(r)}`).join('; ')})`);
  if (report.skipped.length) parts.push(`${report.skipped.length} skipped`);
  const bypassing = report.runs.reduce((n, r) => n + r.notIntercepted.length, 0);
  const changes = report.runs.reduce((n, r) => n + (r.state?.diff.length ?? 0), 0);
  if (bypassing && report.dryRun)
    parts.push(
      report.isolation?.mode === 'sandbox'
        ? `${plural(bypassing, 'call')} bypassing the shims (run inside the sandbox)`
        : `${plural(bypassing, 'call')} the shims cannot intercept`,
    );
  if (report.isolation?.mode === 'sandbox') parts.push(`${plural(changes, 'state change')} in the sandbox`);
  const tail = report.dryRun ? `; ${plural(commands, 'command')} would have run` : '';
  const status = report.cancelled ? 'cancelled' : report.ok ? 'ok' : 'not ok';
  return `${mode} ${status}: ${parts.join(', ')}${tail}.`;
}

/** The button that re-runs a refused shims-mode simulation with allowUnintercepted (never the default: it may change this machine). */
export const allowUninterceptedButton = 'Run anyway (allow unintercepted)';

/**
 * When a dry run without a sandbox refused hooks for calls the shims cannot intercept: the
 * warning that offers to run them anyway, saying what that would do. Otherwise undefined.
 */
export function uninterceptedOffer(report: SimulationReport): string | undefined {
  if (!report.dryRun || report.isolation?.mode === 'sandbox') return undefined;
  const refused = report.runs.filter((r) => r.notRun?.reason === 'unintercepted');
  if (!refused.length) return undefined;
  const calls = refused.reduce((n, r) => n + r.notIntercepted.length, 0);
  return (
    `Hooksmith: ${plural(refused.length, 'hook was', 'hooks were')} not run: ${plural(calls, 'call')} would bypass ` +
    `the shims and run for real on this machine (no sandbox here). Run anyway only if that is what you want.`
  );
}

/** The request as a title: "connect then disconnect — corporate.xml", or its kind and command and folder. */
export function describeRequest(request: SimulationRequest, shorten: (file: string) => string = baseName): string {
  const where = requestPlace(request);
  if (typeof request.command === 'string') return `${request.kind} ${request.command} — ${shorten(where ?? '')}`;
  const what = Array.isArray(request.events) ? request.events.join(' then ') : request.kind;
  return where ? `${what} — ${shorten(where)}` : what;
}

/** The file or folder a request is about: the first of its family's path fields it has (a hook before a profile before a folder). */
export function requestPlace(request: SimulationRequest): string | undefined {
  return pathsOf(request, requestPathFields[request.kind] ?? [])[0];
}
