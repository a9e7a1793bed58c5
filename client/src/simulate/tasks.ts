/**
 * The "hooksmith" task type: a simulation a user can bind to a key or run before a commit. It runs
 * in a task terminal (CustomExecution + Pseudoterminal), streams the hooks' output, and ends with
 * exit code 0 when every hook ran and exited 0, else 1.
 */
import * as vscode from 'vscode';
import { serverCommands } from '../../../server/src/protocol';
import type { FromTask, ProvidedTask, SimulationReport } from '../../../server/src/protocol';
import { describeRequest } from './format';
import { withSettings } from './request';
import { isCancelledError, readSettings, SimulationRunner } from './runner';
import { relative } from './targets';
import { Transcript } from './transcript';
import { taskType } from './register';
import { confirmLive, untrustedReason } from './trust';

export class SimulationTasks implements vscode.TaskProvider {
  constructor(
    private readonly runner: SimulationRunner,
    private readonly onReport: (report: SimulationReport, title: string) => void,
  ) {}

  /** Ready tasks for the workspace's profiles and hook folders, as the families offer them (tasks.json can define any other). */
  async provideTasks(): Promise<vscode.Task[]> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return [];
    const provided = (await this.runner.prepare(serverCommands.simulationTasks, [])) as ProvidedTask[];
    return provided.map((p) => this.task({ ...p.definition, type: taskType }, folder, p.label));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== taskType) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return this.task(task.definition, folder, task.name);
  }

  private task(def: vscode.TaskDefinition, folder: vscode.WorkspaceFolder | undefined, label: string): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) => new SimulationTerminal(resolved, folder, this.runner, this.onReport));
    const task = new vscode.Task(def, folder ?? vscode.TaskScope.Workspace, label, 'Hooksmith', execution);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }
}

class SimulationTerminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<number>();
  private readonly cancel = new vscode.CancellationTokenSource();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;

  constructor(
    private readonly def: vscode.TaskDefinition,
    private readonly folder: vscode.WorkspaceFolder | undefined,
    private readonly runner: SimulationRunner,
    private readonly onReport: (report: SimulationReport, title: string) => void,
  ) {}

  open(): void {
    void this.start().then((code) => this.finish(code));
  }

  /** The user stopped the task: the server stops the hooks. */
  close(): void {
    this.cancel.cancel();
  }

  private async start(): Promise<number> {
    const transcript = new Transcript((text) => this.writes.fire(text.replace(/\r?\n/g, '\r\n')));
    if (!vscode.workspace.isTrusted) {
      transcript.error(`Not run. ${untrustedReason}`);
      return 1;
    }
    const parsed = (await this.runner.prepare(serverCommands.taskRequest, [this.def, this.folder?.uri.fsPath])) as FromTask;
    if (!parsed.ok) {
      transcript.error(parsed.error);
      return 1;
    }
    const title = describeRequest(parsed.request, relative);
    if (parsed.request.live && !(await confirmLive(title))) {
      transcript.error('Not run: running the hooks for real needs your confirmation.');
      return 1;
    }
    const scope = this.folder?.uri;
    const request = withSettings(parsed.request, readSettings(scope));
    transcript.begin(title, request.live === true);
    try {
      const report = await this.runner.run(
        request,
        { onOutput: (out) => transcript.output(out), onProgress: (message) => transcript.runStarted(message) },
        this.cancel.token,
      );
      transcript.end(report);
      this.onReport(report, title);
      return report.ok ? 0 : 1;
    } catch (e) {
      transcript.error(isCancelledError(e) ? 'Cancelled.' : `Hooksmith: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }

  private finish(code: number): void {
    this.closes.fire(code);
    this.cancel.dispose();
  }
}
