import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { documentSelector, hookFilesGlob, ServerHandle } from './languageClient';
import { recognizeProfiles } from './recognize';
import { registerSimulation } from './simulate/register';
import { HookTestsApi, registerHookTests } from './hooktests';

let server: ServerHandle | undefined;

/** What activate() returns: its own cost, for the tests that measure it. */
export interface HooksmithApi {
  /** Evaluating this bundle plus running activate(): the extension's own share of activation. */
  readonly activationMs: number;
  /** The evaluation part of it. */
  readonly loadMs: number;
  /** The Test Explorer's hook tests (the real-VS-Code test reads their outcomes). */
  readonly hookTests: HookTestsApi;
}

export function activate(context: vscode.ExtensionContext): HooksmithApi {
  const activateStart = performance.now();
  const marks = globalThis as { __hooksmithLoadStart?: number; __hooksmithLoadEnd?: number };
  const loadMs = (marks.__hooksmithLoadEnd ?? 0) - (marks.__hooksmithLoadStart ?? 0);
  const output = vscode.window.createOutputChannel('Hooksmith', { log: true });
  const handle = (server = new ServerHandle(context, output));
  registerCommands(context, handle);
  registerSimulation(context, handle);
  const hookTests = registerHookTests(context, handle);
  // The server starts lazily: activation on any XML file must stay cheap when no profile is there.
  const startIfRelevant = (doc: vscode.TextDocument): void => {
    if (vscode.languages.match(documentSelector, doc) > 0) void handle.start();
  };
  context.subscriptions.push(output, vscode.workspace.onDidOpenTextDocument(startIfRelevant));
  recognizeProfiles(context);
  // After activate() returns: starting loads the language client bundle, which activation need not wait for.
  setImmediate(() => vscode.workspace.textDocuments.forEach(startIfRelevant));
  const markers = hookFilesGlob(context);
  if (markers) {
    void vscode.workspace.findFiles(markers, '**/node_modules/**', 1).then((found) => {
      if (found.length > 0) void handle.start();
    });
  }
  return { activationMs: loadMs + (performance.now() - activateStart), loadMs, hookTests };
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}
