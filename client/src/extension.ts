import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { profileLanguage, ServerHandle } from './languageClient';
import { recognizeProfiles } from './recognize';

let server: ServerHandle | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Hooksmith', { log: true });
  server = new ServerHandle(context, output);
  const handle = server;
  registerCommands(context, handle);
  const startIfProfile = (doc: vscode.TextDocument): void => {
    if (doc.languageId === profileLanguage) void handle.start();
  };
  context.subscriptions.push(output, vscode.workspace.onDidOpenTextDocument(startIfProfile));
  recognizeProfiles(context);
  vscode.workspace.textDocuments.forEach(startIfProfile);
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}
