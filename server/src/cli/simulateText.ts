import * as path from 'node:path';
import { escapeControls } from './escape';
import type { EventRun, HookRun, RecordedCommand, RunReport, SimulationReport } from '../protocol';
import { isListedStep } from '../protocol';

/** An argv as a person would type it: words with shell-special characters in single quotes. */
export function shellWords(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * A recorded call as a person reads it: the command line, and in a sandbox whether the real tool
 * ran there (with its exit status) or why it was only recorded.
 */
export function recordedCall(c: RecordedCommand): string {
  const line = shellWords(c.argv);
  if (!c.sandbox) return line;
  if (!c.sandbox.ran) return `${line}  (recorded, not run: ${c.sandbox.why})`;
  const status = c.sandbox.exitCode === undefined ? 'no exit status: stopped with the hook' : `exit ${c.sandbox.exitCode}`;
  return `${line}  (ran in the sandbox: ${status})`;
}

/** The heading of a run's recorded calls: in a sandbox each line says whether it ran there. */
export function recordedHeading(commands: readonly RecordedCommand[]): string {
  return commands.some((c) => c.sandbox) ? 'recorded by the shims' : 'would run';
}

/** Hook output, live: every line prefixed so it stands apart from the report around it. */
export class LivePrinter {
  private atLineStart = true;
  constructor(private readonly write: (s: string) => void) {}

  runStarted(label: string, script: string): void {
    this.endLine();
    this.write(`▶ ${escapeControls(label)}: ${escapeControls(script)}\n`);
  }

  output(text: string): void {
    for (const part of text.split(/(?<=\n)/)) {
      if (this.atLineStart) this.write('  │ ');
      this.write(part);
      this.atLineStart = part.endsWith('\n');
    }
  }

  endLine(): void {
    if (!this.atLineStart) this.write('\n');
    this.atLineStart = true;
  }
}

/** The report; names and messages quote the repository's file names, so control characters are escaped (not the hooks' own output). */
export function formatSimulation(report: SimulationReport): string {
  const header = !report.dryRun
    ? 'Simulation (LIVE)'
    : report.isolation?.mode === 'sandbox'
      ? `Simulation (dry run, in a ${report.isolation.tool} sandbox)`
      : 'Simulation (dry run, shims only: calls that bypass them run for real)';
  const lines: string[] = ['', header];
  for (const note of report.notes) lines.push(`  ${note}`);
  for (const run of report.runs) lines.push('', ...formatRun(run));
  for (const s of report.skipped) lines.push('', `${s.label}: ${/^not run\b/.test(s.reason) ? s.reason : `not run. ${s.reason}`}`);
  const ran = report.runs.filter((r) => !isListedStep(r));
  const failed = ran.filter((r) => r.exitCode !== 0 || r.notRun).length;
  lines.push(
    '',
    report.cancelled
      ? 'Cancelled.'
      : report.ok
        ? okLine(ran.length, failed)
        : `FAILED: ${failed} of ${ran.length} hook(s) did not exit 0${ran.length ? '' : ' (none ran)'}.`,
  );
  return lines.map(escapeControls).join('\n') + '\n';
}

/** A verdict of ok with non-zero exits: the family read them as answers (isusable's "not usable", a refused certificate). */
function okLine(ran: number, nonZero: number): string {
  if (!nonZero) return `OK: ${ran} hook(s) exited 0.`;
  return `OK: ${ran} hook(s) ran; ${nonZero} exited non-zero, an answer its executor acts on (see above), not a failure.`;
}

function formatRun(run: EventRun | HookRun): string[] {
  const name = path.basename(run.script);
  const lines = [`${run.label}${run.label.includes(name) ? '' : `  ${name}`}${'chosenBy' in run ? `  (${run.chosenBy.detail})` : ''}`];
  lines.push(`  ${outcome(run)}`);
  for (const s of run.signalsSent) lines.push(`  ${s.signal} to the process group at ${s.atMs} ms (${s.why})`);
  if (run.commands.length) lines.push(`  ${recordedHeading(run.commands)}:`, ...run.commands.map((c) => `    ${recordedCall(c)}`));
  else if (!run.notRun) lines.push('  would run: nothing intercepted by the shims');
  for (const c of run.notIntercepted) lines.push(`  not intercepted, line ${c.line}: ${c.text.split('\n')[0]} (${c.why})`);
  lines.push(...stateLines(run));
  for (const w of run.warnings) lines.push(`  warning: ${w}`);
  if (run.stdoutTruncated || run.stderrTruncated) lines.push('  output was truncated (see the note in it)');
  return lines;
}

/** The sandbox's measure of what the hook changed: + added, - removed, per kind. */
function stateLines(run: RunReport): string[] {
  if (!run.state) return [];
  if (!run.state.diff.length) return ['  state: unchanged (links, addresses, routes, rules, firewall, sysctls, files)'];
  return ['  state changes:', ...run.state.diff.map((c) => `    ${c.change === 'added' ? '+' : '-'} ${c.kind}: ${c.item}`)];
}

function outcome(run: RunReport): string {
  if (run.notRun) return `not run: ${run.notRun.message}`;
  const how = run.exitCode !== null ? `exit ${run.exitCode}` : `killed by ${run.signal ?? 'a signal'}`;
  const why = run.timedOut
    ? ' after the timeout'
    : run.cancelled
      ? ' (cancelled)'
      : run.terminatedByNextEvent
        ? ' by the next event (TerminateScriptOnNextEvent)'
        : '';
  return `${how}${why} in ${run.durationMs} ms`;
}
