/**
 * The simulation's VS Code face, loaded on first use (it ships in the language client bundle):
 * commands, live output in the "Hooksmith Simulation" channel, a cancellable progress
 * notification, the result view and the task provider. The server does the simulating.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SimulationOutput, SimulationReport, SimulationRequest } from '../../../server/src/protocol';
import type { HookEvent } from '../../../server/src/families/anyconnect/request';
import { describeRequest, requestPlace } from './format';
import { withSettings } from './request';
import { ResultView } from './resultView';
import { isCancelledError, readSettings, SimulationRunner } from './runner';
import { anyConnectTarget, relative, shorewallTarget } from './targets';
import { SimulationTasks } from './tasks';
import { Transcript } from './transcript';
import { confirmLive, refuseUntrusted } from './trust';

export type SimulationAction = 'connect' | 'disconnect' | 'connectThenDisconnect' | 'shorewall' | 'live' | 'fromLens' | 'showResult';

export interface SimulationFace {
  /** Resolves with the report, or undefined when refused, cancelled before it ran, or failed. */
  run(action: SimulationAction, args: readonly unknown[]): Promise<SimulationReport | undefined>;
  readonly tasks: vscode.TaskProvider;
}

export function createSimulationFace(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>): SimulationFace {
  const runner = new SimulationRunner(client);
  const view = new ResultView();
  let channel: vscode.OutputChannel | undefined;
  const output = (): vscode.OutputChannel => (channel ??= vscode.window.createOutputChannel('Hooksmith Simulation'));
  context.subscriptions.push(view, { dispose: () => channel?.dispose() });

  const simulate = async (request: SimulationRequest): Promise<SimulationReport | undefined> => {
    const title = describeRequest(request, relative);
    if (request.live && !(await confirmLive(title))) return undefined;
    const full = withSettings(request, readSettings(scopeOf(request)));
    const out = output();
    out.show(true);
    const transcript = new Transcript((text) => out.append(text));
    transcript.begin(title, full.live === true);
    const progressTitle = `Hooksmith: ${full.live ? 'running for real' : 'simulating'} ${title}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: progressTitle, cancellable: true }, async (progress, token) => {
      try {
        const listener = {
          onOutput: (o: SimulationOutput) => transcript.output(o),
          onProgress: (message: string) => {
            transcript.runStarted(message);
            progress.report({ message });
          },
        };
        const report = await runner.run(full, listener, token);
        transcript.end(report);
        view.show(report, `Simulation: ${title}`);
        if (report.cancelled) void vscode.window.showInformationMessage('Hooksmith: simulation cancelled; its hooks were stopped.');
        return report;
      } catch (e) {
        if (isCancelledError(e)) {
          transcript.error('Cancelled.');
          return undefined;
        }
        const message = e instanceof Error ? e.message : String(e);
        transcript.error(`Failed: ${message}`);
        void vscode.window.showErrorMessage(`Hooksmith: ${message}`);
        return undefined;
      }
    });
  };

  const anyConnect = async (events: HookEvent[], arg: unknown, live = false): Promise<SimulationReport | undefined> => {
    const target = await anyConnectTarget(arg);
    return target && simulate({ kind: 'anyconnect', events, ...target, ...(live ? { live } : {}) });
  };
  const shorewall = async (arg: unknown, live = false): Promise<SimulationReport | undefined> => {
    const target = await shorewallTarget(arg);
    return target && simulate({ kind: 'shorewall', ...target, ...(live ? { live } : {}) });
  };

  const actions: Record<SimulationAction, (arg: unknown) => Promise<SimulationReport | undefined>> = {
    connect: (arg) => anyConnect(['connect'], arg),
    disconnect: (arg) => anyConnect(['disconnect'], arg),
    connectThenDisconnect: (arg) => anyConnect(['connect', 'disconnect'], arg),
    shorewall: (arg) => shorewall(arg),
    live: async (arg) => {
      const kind = await pickLiveKind();
      if (!kind) return undefined;
      return kind === 'shorewall' ? shorewall(arg, true) : anyConnect(kind, arg, true);
    },
    fromLens: async (arg) => {
      if (isRequest(arg)) return simulate(arg);
      void vscode.window.showErrorMessage('Hooksmith: this CodeLens carries no simulation request; try Hooksmith: Restart Language Server.');
      return undefined;
    },
    showResult: async () => {
      if (!view.showLast()) void vscode.window.showInformationMessage('Hooksmith: no simulation has run in this window yet.');
      return undefined;
    },
  };

  return {
    run: async (action, args) => {
      if (action !== 'showResult' && !vscode.workspace.isTrusted) return refuseUntrusted();
      return actions[action](args[0]);
    },
    tasks: new SimulationTasks(runner, (report, title) => view.remember(report, `Simulation: ${title}`)),
  };
}

/** The resource whose settings apply (resource-scoped hooksmith.simulate.*). */
function scopeOf(request: SimulationRequest): vscode.Uri | undefined {
  const file = requestPlace(request);
  return file ? vscode.Uri.file(file) : undefined;
}

function isRequest(value: unknown): value is SimulationRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { kind?: unknown; events?: unknown; command?: unknown; confdir?: unknown };
  if (r.kind === 'anyconnect') return Array.isArray(r.events) && r.events.length > 0;
  return r.kind === 'shorewall' && typeof r.command === 'string' && typeof r.confdir === 'string';
}

async function pickLiveKind(): Promise<HookEvent[] | 'shorewall' | undefined> {
  const items: (vscode.QuickPickItem & { run: HookEvent[] | 'shorewall' })[] = [
    { label: 'Connect', run: ['connect'] },
    { label: 'Disconnect', run: ['disconnect'] },
    { label: 'Connect then Disconnect', run: ['connect', 'disconnect'] },
    { label: 'Shorewall command…', run: 'shorewall' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Hooksmith: run which hooks for real? (you confirm before anything runs)',
  });
  return picked?.run;
}
