import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

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
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...documentSelector],
      outputChannel: this.output,
    };
    const client = new LanguageClient('hooksmith', 'Hooksmith', serverOptions, clientOptions);
    await client.start();
    this.client = client;
    return client;
  }
}
