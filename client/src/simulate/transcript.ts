/**
 * A simulation as plain text, written as it happens: the output channel and a task's terminal both
 * show it. Pure: it only calls `write`.
 */
import type { SimulationOutput, SimulationReport } from '../../../server/src/protocol';
import { commandLine, outcome, recordedCall, runHeader, signalText, summaryLine } from './format';

export class Transcript {
  private run = -1;
  private announced = false;
  private atLineStart = true;

  constructor(private readonly write: (text: string) => void) {}

  begin(title: string, live: boolean): void {
    this.line(`── Hooksmith: ${title} (${live ? 'LIVE: the hooks run for real' : 'dry run'}) ──`);
  }

  /** The server's word that a hook starts ("connect: /vpn/script/OnConnect_routes.sh"). */
  runStarted(message: string): void {
    this.line(`▶ ${message}`);
    this.announced = true;
  }

  /** Output as it arrives; a line names the run when the output moves on to one not announced. */
  output(out: SimulationOutput): void {
    if (out.run !== this.run) {
      this.run = out.run;
      if (!this.announced) this.line(`▶ ${out.label}`);
      this.announced = false;
    }
    if (!out.text) return;
    this.write(out.text);
    this.atLineStart = out.text.endsWith('\n');
  }

  end(report: SimulationReport): void {
    for (const run of report.runs) {
      this.line(`■ ${runHeader(run)}: ${outcome(run)}`);
      for (const s of run.signalsSent) this.line(`    signal: ${signalText(s)}`);
      for (const w of run.warnings) this.line(`    warning: ${w}`);
      for (const c of run.commands)
        this.line(
          `    ${report.dryRun ? (c.sandbox ? 'recorded' : 'would run') : 'ran'}: ${report.dryRun ? recordedCall(c) : commandLine(c.argv)}`,
        );
      for (const c of run.notIntercepted) this.line(`    not intercepted, line ${c.line}: ${c.text.split('\n')[0]}: ${c.why}`);
    }
    for (const s of report.skipped) this.line(`○ ${s.label}: skipped: ${s.reason}`);
    if (report.cancelled) this.line('Cancelled: the running hooks were stopped.');
    this.line(summaryLine(report));
  }

  error(message: string): void {
    this.line(message);
  }

  private line(text: string): void {
    if (!this.atLineStart) this.write('\n');
    this.write(`${text}\n`);
    this.atLineStart = true;
  }
}
