import * as path from 'node:path';
import * as vscode from 'vscode';
import { contextKeys, KnownFiles, profileLanguage } from '../../server/src/protocol';

/**
 * The server's word on which files are profiles and which are each family's hooks: context keys
 * for menus and commands (`resourcePath in hooksmith.<family>.hooks`), and the profile language for
 * open documents the server found to be profiles (hooksmith.profile.files, a root element past the
 * first line), and the shell (or Perl) language for hooks that opened as Plain Text.
 */
export function applyKnownFiles(known: KnownFiles): void {
  const keyed = (files: readonly string[], value: unknown = true): Record<string, unknown> =>
    Object.fromEntries(files.map((f) => [f, value]));
  void vscode.commands.executeCommand('setContext', contextKeys.profiles, keyed(known.profiles));
  const all: Record<string, unknown> = {};
  for (const [family, files] of Object.entries(known.hooks)) {
    Object.assign(all, keyed(files, family));
    void vscode.commands.executeCommand('setContext', contextKeys.familyHooks(family), keyed(files));
    void vscode.commands.executeCommand(
      'setContext',
      contextKeys.familyFolders(family),
      keyed([...new Set(files.map((f) => path.dirname(f)))]),
    );
  }
  void vscode.commands.executeCommand('setContext', contextKeys.hooks, all);
  const profiles = new Set(known.profiles);
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file') continue;
    if (doc.languageId !== profileLanguage && profiles.has(doc.uri.fsPath))
      void vscode.languages.setTextDocumentLanguage(doc, profileLanguage);
    // A hook the server recognised that opened as Plain Text (no #!, no extension) gets its language: highlighting and snippets.
    const language = known.languages[doc.uri.fsPath];
    if (language && doc.languageId === 'plaintext') void vscode.languages.setTextDocumentLanguage(doc, language);
  }
}
