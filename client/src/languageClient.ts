import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { documentLanguages, profileLanguage, specDocuments } from '../../server/src/protocol';
import type { startLanguageClient } from './startClient';

export { profileLanguage };

/**
 * Profiles, and every document that may be a profile or a hook (the languages the families declare,
 * Plain Text among them): the server decides. XML is not among them: the client gives profiles
 * their language first (recognize.ts), so a profile is never validated twice.
 */
export const documentSelector: { scheme: string; language?: string; pattern?: string }[] = [
  { scheme: 'file', language: profileLanguage },
  { scheme: 'untitled', language: profileLanguage },
  ...documentLanguages.map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', ...specDocuments },
];

/** Files whose presence in a workspace means hooks to scan: the families' markers, as package.json's activation events list them. */
export function hookFilesGlob(context: vscode.ExtensionContext): string | undefined {
  const events = (context.extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
  const globs = events.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
  return globs.length ? `{${globs.join(',')}}` : undefined;
}

/** Owns the one LanguageClient; started when a profile or hook is open, or the workspace holds hooks. */
export class ServerHandle {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  start(): Promise<LanguageClient> {
    this.starting ??= this.create();
    return this.starting;
  }

  async restart(): Promise<void> {
    if (!this.client) {
      await this.start();
      return;
    }
    await this.client.restart();
  }

  async stop(): Promise<void> {
    await this.client?.stop();
  }

  private async create(): Promise<LanguageClient> {
    // A plain require of a separate bundle: loaded here, on first start, not during activation.
    const { startLanguageClient: start } = require(this.context.asAbsolutePath('dist/languageClient.js')) as {
      startLanguageClient: typeof startLanguageClient;
    };
    const client = await start(this.context, this.output, [...documentSelector]);
    this.client = client;
    return client;
  }
}
