import * as vscode from 'vscode';
import { looksLikeProfile } from '../../server/src/profile/recognize';
import { profileLanguage } from './languageClient';

/**
 * Gives the profile language, at once, to XML documents whose root is AnyConnectProfile (the
 * manifest's firstLine match only sees line 1, and Profile Editor output has its root on line 2),
 * by the server's own test of the text. Everything else (hooksmith.profile.files, hooks) the
 * server decides and reports (knownFiles.ts).
 */
export function recognizeProfiles(context: vscode.ExtensionContext): void {
  const check = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'xml' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return;
    if (looksLikeProfile(doc.getText(new vscode.Range(0, 0, 200, 0)))) void vscode.languages.setTextDocumentLanguage(doc, profileLanguage);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
  for (const doc of vscode.workspace.textDocuments) check(doc);
}
