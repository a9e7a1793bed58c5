import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import { simulateCommand, simulationOutputNotification } from '../../../server/src/simulate/protocol';
import type { SimulationOutput, SimulationReport, SimulationRequest } from '../../../server/src/simulate/protocol';
import type { SimulateSettings } from './request';

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
      const params = { command: simulateCommand, arguments: [{ ...request, id }], workDoneToken: id };
      return (await client.sendRequest(ExecuteCommandRequest.type, params, token)) as SimulationReport;
    } finally {
      this.sinks.delete(id);
      progress.dispose();
    }
  }

  private route(client: LanguageClient): void {
    if (this.routed.has(client)) return;
    this.routed.add(client);
    client.onNotification(simulationOutputNotification, (out: SimulationOutput) => {
      if (out.id !== undefined) this.sinks.get(out.id)?.(out);
    });
  }
}

/** The hooksmith.simulate.* settings for a resource; out-of-type values fall back to the defaults. */
export function readSettings(scope: vscode.Uri | undefined): SimulateSettings {
  const config = vscode.workspace.getConfiguration('hooksmith.simulate', scope);
  const number = (key: string, fallback: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const env = config.get<unknown>('env');
  const strings = typeof env === 'object' && env !== null && !Array.isArray(env)
    ? Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    : {};
  return { timeoutSeconds: number('timeoutSeconds', 60) || 60, graceMs: number('graceMs', 1000), gapMs: number('gapMs', 1000), env: strings };
}
