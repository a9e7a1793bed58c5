import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { simulateCommand, simulationOutputNotification } from '../../../server/src/simulate/protocol';
import type { SimulationOutput, SimulationReport, SimulationRequest } from '../../../server/src/simulate/protocol';
import type { SimulateSettings } from './request';

/** LSP's RequestCancelled: the server may answer a cancelled request with it instead of a report. */
const requestCancelled = -32800;

export function isCancelledError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === requestCancelled;
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

  /** Cancelling `token` sends $/cancelRequest: the server stops the hooks and reports cancelled. */
  async run(request: SimulationRequest, onOutput: (out: SimulationOutput) => void, token?: vscode.CancellationToken): Promise<SimulationReport> {
    const client = await this.client();
    this.route(client);
    const id = `vscode-${process.pid}-${++this.count}`;
    this.sinks.set(id, onOutput);
    try {
      const params = { command: simulateCommand, arguments: [{ ...request, id }] };
      return (await client.sendRequest(ExecuteCommandRequest.type, params, token)) as SimulationReport;
    } finally {
      this.sinks.delete(id);
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
