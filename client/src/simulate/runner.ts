import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import { notifications, readSimulateSettings, serverCommands } from '../../../server/src/protocol';
import type { SimulateSettings } from '../../../server/src/protocol';
import type { SimulationOutput, SimulationReport, SimulationRequest } from '../../../server/src/protocol';

/** LSP's RequestCancelled: the server may answer a cancelled request with it instead of a report. */
const requestCancelled = -32800;

export function isCancelledError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === requestCancelled;
}

export interface RunListener {
  /** The hooks' output as it arrives. */
  readonly onOutput: (out: SimulationOutput) => void;
  /** The server's progress messages: which hook runs now. */
  readonly onProgress?: (message: string) => void;
}

/**
 * Sends simulate requests and routes the server's output notifications to the run that asked
 * (by request id): the client keeps one handler per notification method, so one router serves all.
 */
export class SimulationRunner {
  private readonly sinks = new Map<string, (out: SimulationOutput) => void>();
  private readonly routed = new WeakSet<LanguageClient>();
  private count = 0;

  constructor(private readonly client: () => Promise<LanguageClient>) {}

  /**
   * Cancelling `token` sends $/cancelRequest: the server stops the hooks and reports cancelled.
   * The request carries a work-done token, so the server reports progress to `listener.onProgress`
   * (and opens no progress notification of its own beside the caller's).
   */
  async run(request: SimulationRequest, listener: RunListener, token?: vscode.CancellationToken): Promise<SimulationReport> {
    const client = await this.client();
    this.route(client);
    const id = `vscode-${process.pid}-${++this.count}`;
    this.sinks.set(id, listener.onOutput);
    const progress = client.onProgress(WorkDoneProgress.type, id, (value) => {
      if (value.kind !== 'end' && value.message) listener.onProgress?.(value.message);
    });
    try {
      const params = { command: serverCommands.simulate, arguments: [{ ...request, id }], workDoneToken: id };
      return (await client.sendRequest(ExecuteCommandRequest.type, params, token)) as SimulationReport;
    } finally {
      this.sinks.delete(id);
      progress.dispose();
    }
  }

  /** One of the commands that prepare a simulation (its target, the ready tasks, a task's request): the server answers. */
  async prepare(command: string, args: readonly unknown[]): Promise<unknown> {
    const client = await this.client();
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [...args] });
  }

  private route(client: LanguageClient): void {
    if (this.routed.has(client)) return;
    this.routed.add(client);
    client.onNotification(notifications.simulationOutput, (out: SimulationOutput) => {
      if (out.id !== undefined) this.sinks.get(out.id)?.(out);
    });
  }
}

/** The hooksmith.simulate.* settings for a resource, read and clamped as the server reads them. */
export function readSettings(scope: vscode.Uri | undefined): SimulateSettings {
  const config = vscode.workspace.getConfiguration('hooksmith.simulate', scope);
  return readSimulateSettings({
    timeoutSeconds: config.get('timeoutSeconds'),
    graceMs: config.get('graceMs'),
    gapMs: config.get('gapMs'),
    env: config.get('env'),
  });
}
