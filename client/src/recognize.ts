import * as vscode from 'vscode';
import { globProblem } from '../../server/src/globs/globProblem';
import { looksLikeProfile } from '../../server/src/profile/recognize';
import { profileLanguage } from './languageClient';

/**
 * Gives the profile language, at once, to XML documents whose root is AnyConnectProfile (the
 * manifest's firstLine match only sees line 1, and Profile Editor output has its root on line 2),
 * by the server's own test of the text, and to files matching the hooksmith.profile.files globs
 * (matched by VS Code). Hooks, and the context keys of menus, the server decides (knownFiles.ts).
 */
export function recognizeProfiles(context: vscode.ExtensionContext): void {
  const check = (doc: vscode.TextDocument): void => {
    if (doc.languageId === profileLanguage || !isCandidate(doc)) return;
    void vscode.languages.setTextDocumentLanguage(doc, profileLanguage);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
  for (const doc of vscode.workspace.textDocuments) check(doc);
}

function isCandidate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  const globs = vscode.workspace.getConfiguration('hooksmith', doc).get<string[]>('profile.files', []);
  // Patterns over the caps are ignored, as the language server's warning about them says.
  if (
    globs.some(
      (pattern) => typeof pattern === 'string' && globProblem(pattern) === undefined && vscode.languages.match({ pattern }, doc) > 0,
    )
  )
    return true;
  if (doc.languageId !== 'xml') return false;
  return looksLikeProfile(doc.getText(new vscode.Range(0, 0, 200, 0)));
}
