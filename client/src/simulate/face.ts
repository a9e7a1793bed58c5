/**
 * The simulation's VS Code face, loaded on first use (it ships in the language client bundle):
 * commands, live output in the "Hooksmith Simulation" channel, a cancellable progress
 * notification, the result view and the task provider. The server does the simulating.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { clientCommands } from '../../../server/src/protocol';
import type { SimulationOutput, SimulationReport, SimulationRequest } from '../../../server/src/protocol';
import { allowUninterceptedButton, describeRequest, requestPlace, uninterceptedOffer } from './format';
import { withSettings } from './request';
import { ResultView } from './resultView';
import { isCancelledError, readSettings, SimulationRunner } from './runner';
import { relative, targetOf } from './targets';
import { SimulationTasks } from './tasks';
import { Transcript } from './transcript';
import { confirmLive, refuseUntrusted } from './trust';

type FixedAction = 'live' | 'fromLens' | 'showResult';

/** One of the fixed actions, or a family's simulate command (package.json lists them; the server knows what they run). */
export type SimulationAction = FixedAction | { readonly command: string };

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
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: progressTitle, cancellable: true },
      async (progress, token) => {
        try {
          const listener = {
            onOutput: (o: SimulationOutput) => transcript.output(o),
            onProgress: (message: string) => {
              transcript.runStarted(message);
              progress.report({ message });
            },
          };
          view.running(`Simulation: ${title}`);
          const report = await runner.run(full, listener, token);
          transcript.end(report);
          view.show(report, `Simulation: ${title}`);
          if (report.cancelled) void vscode.window.showInformationMessage('Hooksmith: simulation cancelled; its hooks were stopped.');
          offerAllow(report, full);
          return report;
        } catch (e) {
          if (isCancelledError(e)) {
            transcript.error('Cancelled.');
            view.ended(`Simulation: ${title}`, 'Cancelled before a result.');
            return undefined;
          }
          const message = e instanceof Error ? e.message : String(e);
          transcript.error(`Failed: ${message}`);
          view.ended(`Simulation: ${title}`, `Failed: ${message}`);
          void vscode.window.showErrorMessage(`Hooksmith: ${message}`);
          return undefined;
        }
      },
    );
  };

  // Shims mode refused hooks whose calls would bypass the shims: the user may knowingly run them.
  const offerAllow = (report: SimulationReport, request: SimulationRequest): void => {
    const offer = uninterceptedOffer(report);
    if (!offer) return;
    void vscode.window.showWarningMessage(offer, allowUninterceptedButton).then((choice) => {
      if (choice === allowUninterceptedButton) void simulate({ ...request, allowUnintercepted: true });
    });
  };

  /** A family's command: the server names the request (asking the user through its choices), then it runs. */
  const simulateCommand = async (command: string, arg: unknown, live = false): Promise<SimulationReport | undefined> => {
    const target = await targetOf(runner, command, arg);
    if (!target) return undefined;
    return simulate(live || target.live ? { ...target.request, live: true } : target.request);
  };

  const actions: Record<FixedAction, (arg: unknown) => Promise<SimulationReport | undefined>> = {
    live: (arg) => simulateCommand(clientCommands.simulateLive, arg, true),
    fromLens: async (arg) => {
      if (isRequest(arg)) return simulate(arg);
      void vscode.window.showErrorMessage(
        'Hooksmith: this CodeLens carries no simulation request; try Hooksmith: Restart Language Server.',
      );
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
      return typeof action === 'string' ? actions[action](args[0]) : simulateCommand(action.command, args[0]);
    },
    tasks: new SimulationTasks(runner, (report, title) => view.remember(report, `Simulation: ${title}`)),
  };
}

/** The resource whose settings apply (resource-scoped hooksmith.simulate.*). */
function scopeOf(request: SimulationRequest): vscode.Uri | undefined {
  const file = requestPlace(request);
  return file ? vscode.Uri.file(file) : undefined;
}

/** A request as the server's CodeLenses carry it: a kind and nothing the server would refuse before looking. */
function isRequest(value: unknown): value is SimulationRequest {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
