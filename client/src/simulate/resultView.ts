import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { resultHtml, statusHtml } from './resultHtml';

export const resultViewType = 'hooksmith.simulationResult';

/** One webview panel, reused for each result; no scripts, no local or remote resources. */
export class ResultView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: { report: SimulationReport; title: string } | undefined;

  /** Keeps a result (a task's) for "Show Last Simulation Result" without opening the view. */
  remember(report: SimulationReport, title: string): void {
    this.last = { report, title };
  }

  /** Shows the last result; false when there is none. */
  showLast(): boolean {
    if (this.last) this.show(this.last.report, this.last.title);
    return this.last !== undefined;
  }

  show(report: SimulationReport, title: string): void {
    this.remember(report, title);
    this.open(title).webview.html = resultHtml(report, { nonce: randomBytes(16).toString('hex') });
  }

  /** A run started: an open view says so at once instead of showing the previous result. */
  running(title: string): void {
    if (this.panel)
      this.open(title).webview.html = statusHtml(title, 'running', 'The hooks are running; the result appears here when they end.', {
        nonce: randomBytes(16).toString('hex'),
      });
  }

  /** The run ended without a report (cancelled, failed): an open view says so. */
  ended(title: string, message: string): void {
    if (this.panel) this.open(title).webview.html = statusHtml(title, 'ended', message, { nonce: randomBytes(16).toString('hex') });
  }

  /** What the panel shows right now, for the tests. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  private open(title: string): vscode.WebviewPanel {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        resultViewType,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(undefined, true);
    }
    this.panel.title = title;
    return this.panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
