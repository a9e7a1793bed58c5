import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { resultHtml } from './resultHtml';

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
    this.panel.webview.html = resultHtml(report, { nonce: randomBytes(16).toString('hex') });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
