import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

/**
 * Bundled on its own (dist/languageClient.js) and loaded only when the server starts:
 * vscode-languageclient takes most of the extension's load time, and activation must stay cheap.
 */
export async function startLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  documentSelector: LanguageClientOptions['documentSelector'],
): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const client = new LanguageClient('hooksmith', 'Hooksmith', serverOptions, { documentSelector, outputChannel: output });
  await client.start();
  return client;
}
