import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/**
 * HS407's fix for VS Code. The server's fix is a text edit that replaces the text with its LF
 * form; VS Code keeps a document's end-of-line sequence whatever an edit inserts, so that edit
 * changes nothing here. The client turns it into a command that sets the sequence itself.
 */
export const convertToLfCommand = 'hooksmith.convertLineEndsToLf';

export function registerLineEnds(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(convertToLfCommand, convertToLf));
}

async function convertToLf(arg: vscode.Uri | string): Promise<boolean> {
  const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : vscode.Uri.from(arg);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = shown ?? (await vscode.window.showTextDocument(uri, { preview: false }));
  return editor.edit((builder) => builder.setEndOfLine(vscode.EndOfLine.LF));
}

const isHs407 = (d: vscode.Diagnostic): boolean =>
  d.source === 'hooksmith' && (typeof d.code === 'object' ? d.code.value : d.code) === 'HS407';

/** The code actions as the server sent them, with HS407's edit replaced by the command. */
export const lineEndsMiddleware: Pick<Middleware, 'provideCodeActions'> = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = await next(document, range, context, token);
    return actions?.map((a) => {
      if (!(a instanceof vscode.CodeAction) || !a.diagnostics?.some(isHs407) || !a.edit) return a;
      const action = new vscode.CodeAction(a.title, a.kind);
      action.diagnostics = a.diagnostics;
      action.isPreferred = a.isPreferred;
      action.command = { title: a.title, command: convertToLfCommand, arguments: [document.uri] };
      return action;
    });
  },
};
