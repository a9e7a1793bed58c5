import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * A hook a quick fix creates (a missing script, the OnDisconnect counterpart) opens in an editor:
 * VS Code applies a fix's file creation without showing the file. Files created through VS Code
 * (workspace edits, the explorer) are reported here; files written by other programs are not.
 */
export function openCreatedHooks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.onDidCreateFiles((e) => {
      for (const uri of e.files.filter(isHookName)) void vscode.window.showTextDocument(uri, { preview: false }).then(undefined, () => undefined);
    }),
  );
}

/** The names the client hands the server as possible hooks (languageClient.ts's documentSelector). */
function isHookName(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && (/^[Oo][Nn]/.test(path.basename(uri.fsPath)) || /^shorewall(6)?(-lite)?$/.test(path.basename(path.dirname(uri.fsPath))));
}
