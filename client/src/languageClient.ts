import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { startLanguageClient } from './startClient';

export const profileLanguage = 'anyconnect-profile';

/** Profiles, and everything that may be a hook: the server decides by name and folder. */
export const documentSelector: { scheme: string; language?: string; pattern?: string }[] = [
  { scheme: 'file', language: profileLanguage },
  { scheme: 'untitled', language: profileLanguage },
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'file', language: 'perl' },
  { scheme: 'file', pattern: '**/[Oo][Nn]*' },
  { scheme: 'file', pattern: '**/{shorewall,shorewall6,shorewall-lite,shorewall6-lite}/*' },
];

/** Files whose presence in a workspace means hooks to scan, even with none open. */
export const hookFilesGlob = '{**/shorewall.conf,**/OnConnect*,**/OnDisconnect*}';

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
    const { startLanguageClient: start } = require(this.context.asAbsolutePath('dist/languageClient.js')) as { startLanguageClient: typeof startLanguageClient };
    const client = await start(this.context, this.output, [...documentSelector]);
    this.client = client;
    return client;
  }
}
