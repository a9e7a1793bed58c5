import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { documentSelector, hookFilesGlob, ServerHandle } from './languageClient';
import { recognizeProfiles } from './recognize';

let server: ServerHandle | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Hooksmith', { log: true });
  const handle = (server = new ServerHandle(context, output));
  registerCommands(context, handle);
  // The server starts lazily: activation on any XML file must stay cheap when no profile is there.
  const startIfRelevant = (doc: vscode.TextDocument): void => {
    if (vscode.languages.match(documentSelector, doc) > 0) void handle.start();
  };
  context.subscriptions.push(output, vscode.workspace.onDidOpenTextDocument(startIfRelevant));
  recognizeProfiles(context);
  vscode.workspace.textDocuments.forEach(startIfRelevant);
  void vscode.workspace.findFiles(hookFilesGlob, '**/node_modules/**', 1).then((found) => {
    if (found.length > 0) void handle.start();
  });
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}
