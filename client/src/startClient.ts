import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { clientCommands, InitOptions, notifications } from '../../server/src/protocol';
import { applyKnownFiles } from './knownFiles';
import { lensCommand } from './simulate/register';
import { lineEndsMiddleware, registerLineEnds } from './lineEnds';
import { ruleLinksMiddleware } from './ruleLinks';

// The simulation's face ships in this bundle too: it needs the client, and activation need not load it.
export { createSimulationFace } from './simulate/face';

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
  const client = new LanguageClient('hooksmith', 'Hooksmith', serverOptions, {
    documentSelector,
    outputChannel: output,
    middleware: { ...lineEndsMiddleware, ...ruleLinksMiddleware },
    // A function: a restart after trust was granted must say so again.
    initializationOptions: (): InitOptions => ({
      workspaceTrusted: vscode.workspace.isTrusted,
      simulateLensCommand: lensCommand,
      runTestLensCommand: clientCommands.runHookTest,
    }),
  });
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client.isRunning()) void client.sendNotification(notifications.workspaceTrust, { trusted: true });
    }),
  );
  client.onNotification(notifications.knownFiles, applyKnownFiles);
  registerLineEnds(context);
  await client.start();
  return client;
}
