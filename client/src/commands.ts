import * as vscode from 'vscode';
import { clientCommands, serverCommands, ValidateResult } from '../../server/src/protocol';
import { ServerHandle } from './languageClient';

export function registerCommands(context: vscode.ExtensionContext, server: ServerHandle): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(clientCommands.validateFile, () => validateActive(server)),
    vscode.commands.registerCommand(clientCommands.restartServer, async () => {
      await server.restart();
      void vscode.window.setStatusBarMessage('Hooksmith language server restarted', 3000);
    }),
  );
}

/** Any file the server has open, profile or hook: the server decides what it is. */
async function validateActive(server: ServerHandle): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showInformationMessage('Hooksmith: open a profile or a hook script to validate it.');
    return;
  }
  const client = await server.start();
  const result = await client.sendRequest<ValidateResult | null>('workspace/executeCommand', {
    command: serverCommands.validate,
    arguments: [doc.uri.toString()],
  });
  if (!result?.validated)
    void vscode.window.showWarningMessage(`Hooksmith: ${result && !result.validated ? result.reason : 'validation failed'}`);
  else
    void vscode.window.setStatusBarMessage(
      `Hooksmith: ${result.diagnostics} problem(s) in ${vscode.workspace.asRelativePath(doc.uri)}`,
      5000,
    );
}
