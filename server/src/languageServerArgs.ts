/** What `hooksmith-language-server` does with its arguments. */
export type LanguageServerAction = { kind: 'serve'; argv: string[] } | { kind: 'print'; text: string } | { kind: 'usage'; text: string };

const help = `Usage: hooksmith-language-server [--stdio]

Hooksmith's language server (LSP 3.17) over stdin and stdout, for Neovim, Helix, Emacs
and other LSP clients. --node-ipc, --socket=PORT and --pipe=NAME choose another transport.
`;

const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];

export function languageServerArgs(argv: readonly string[]): LanguageServerAction {
  if (argv.includes('-h') || argv.includes('--help')) return { kind: 'print', text: help };
  if (argv.includes('-v') || argv.includes('--version')) return { kind: 'print', text: '%VERSION%\n' };
  const transport = (a: string): boolean => transports.some((t) => a === t || a.startsWith(`${t}=`));
  // --clientProcessId is vscode-languageserver's own; anything else is a mistake worth a message.
  const unknown = argv.find((a) => !transport(a) && !a.startsWith('--clientProcessId'));
  if (unknown !== undefined) return { kind: 'usage', text: `hooksmith-language-server: unknown argument '${unknown}'.\n\n${help}` };
  return { kind: 'serve', argv: argv.some(transport) ? [...argv] : ['--stdio', ...argv] };
}
