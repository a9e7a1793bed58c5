// `hooksmith-language-server [--stdio]`: the language server as editors other than VS Code start
// it (Neovim, Helix, Emacs). stdio is the default transport, so a bare command works too.
import { languageServerArgs } from './languageServerArgs';

declare const HOOKSMITH_VERSION: string;

const action = languageServerArgs(process.argv.slice(2));
if (action.kind === 'print') {
  process.stdout.write(action.text.replace('%VERSION%', typeof HOOKSMITH_VERSION === 'string' ? HOOKSMITH_VERSION : '0.0.0-dev'));
} else if (action.kind === 'usage') {
  process.stderr.write(action.text);
  process.exitCode = 2;
} else {
  process.argv.splice(2, process.argv.length, ...action.argv);
  // The server bundle beside this file; vscode-languageserver reads the transport from argv.
  // Loading it starts nothing (server.ts can be imported): startServer() does.
  (require('./server.js') as { startServer(): void }).startServer();
}
