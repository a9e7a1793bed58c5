/**
 * The "hooksmith" task type: a simulation a user can bind to a key or run before a commit. It runs
 * in a task terminal (CustomExecution + Pseudoterminal), streams the hooks' output, and ends with
 * exit code 0 when every hook ran and exited 0, else 1.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { describeRequest } from './format';
import { requestFromTask, withSettings } from './request';
import { isCancelledError, readSettings, SimulationRunner } from './runner';
import { relative, shorewallFolders, workspaceProfiles } from './targets';
import { Transcript } from './transcript';
import { taskType } from './register';
import { confirmLive, untrustedReason } from './trust';

const maxProvided = 10;

export class SimulationTasks implements vscode.TaskProvider {
  constructor(
    private readonly runner: SimulationRunner,
    private readonly onReport: (report: SimulationReport, title: string) => void,
  ) {}

  /** Ready tasks for the workspace's profiles and Shorewall folders (tasks.json can define any other). */
  async provideTasks(): Promise<vscode.Task[]> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return [];
    const defs: vscode.TaskDefinition[] = [];
    for (const profile of (await workspaceProfiles()).slice(0, maxProvided)) {
      const rel = path.relative(folder.uri.fsPath, profile);
      defs.push({ type: taskType, simulate: 'connect', profile: rel }, { type: taskType, simulate: 'sequence', events: ['connect', 'disconnect'], profile: rel });
    }
    for (const confdir of (await shorewallFolders()).slice(0, maxProvided)) {
      defs.push({ type: taskType, simulate: 'shorewall', command: 'start', confdir: path.relative(folder.uri.fsPath, confdir) || '.' });
    }
    return defs.map((def) => this.task(def, folder));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== taskType) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return this.task(task.definition, folder, task.name);
  }

  private task(def: vscode.TaskDefinition, folder: vscode.WorkspaceFolder | undefined, name?: string): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) => new SimulationTerminal(resolved, folder, this.runner, this.onReport));
    const parsed = requestFromTask(def, folder?.uri.fsPath);
    const label = name ?? `simulate ${parsed.ok ? describeRequest(parsed.request, relative) : String(def.simulate)}`;
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
    const parsed = requestFromTask(this.def, this.folder?.uri.fsPath);
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
      const report = await this.runner.run(request, { onOutput: (out) => transcript.output(out), onProgress: (message) => transcript.runStarted(message) }, this.cancel.token);
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
