import * as vscode from 'vscode';
import { profileLanguage, ServerHandle } from './languageClient';

/** Must match serverCommands.validate in server/src/server.ts. */
const serverValidate = 'hooksmith.server.validate';

export function registerCommands(context: vscode.ExtensionContext, server: ServerHandle): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('hooksmith.validateFile', () => validateActive(server)),
    vscode.commands.registerCommand('hooksmith.restartServer', async () => {
      await server.restart();
      void vscode.window.setStatusBarMessage('Hooksmith language server restarted', 3000);
    }),
  );
}

async function validateActive(server: ServerHandle): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== profileLanguage) {
    void vscode.window.showInformationMessage('Hooksmith: open an AnyConnect profile to validate it.');
    return;
  }
  const client = await server.start();
  const result = await client.sendRequest<{ validated: boolean; diagnostics?: number; reason?: string }>('workspace/executeCommand', {
    command: serverValidate,
    arguments: [doc.uri.toString()],
  });
  if (!result?.validated) void vscode.window.showWarningMessage(`Hooksmith: ${result?.reason ?? 'validation failed'}`);
  else void vscode.window.setStatusBarMessage(`Hooksmith: ${result.diagnostics} problem(s) in ${vscode.workspace.asRelativePath(doc.uri)}`, 5000);
}
