import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export const profileLanguage = 'anyconnect-profile';

/** Owns the one LanguageClient; it is started lazily, when the first profile is open. */
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
      documentSelector: [
        { scheme: 'file', language: profileLanguage },
        { scheme: 'untitled', language: profileLanguage },
      ],
      outputChannel: this.output,
    };
    const client = new LanguageClient('hooksmith', 'Hooksmith', serverOptions, clientOptions);
    await client.start();
    this.client = client;
    return client;
  }
}
