/**
 * The sh program that stands in for Shorewall's generated firewall script around one hook: the
 * hook's text pasted as the body of `run_<hook>_exit()` (as Compiler.pm's generate_script_1 does),
 * run_iptables, lib.private, then the call with the hook's arguments. It is written to a file and
 * run as `sh <file> <args>`: no text of a hook ever goes through a command line.
 */
import { shQuote } from '../../../simulate/shellQuote';

/** Files the wrapper creates beside itself, so the runner can tell how the hook ended. */
export const marker = {
  /** The whole program parsed and the hook is about to be called. */
  called: 'called',
  /** The hook's function returned (its status is the wrapper's exit status). */
  returned: 'returned',
  /** run_iptables failed in a live run: Shorewall would stop the firewall and exit 2. */
  runIptablesFailed: 'run_iptables-failed',
} as const;

export interface WrapperSpec {
  readonly hook: string;
  /** The hook file's bytes, pasted unchanged. */
  readonly body: Buffer;
  /** Absolute path of lib.private, sourced before the call (Shorewall pastes it before the exits). */
  readonly libPrivate?: string;
  /** Dry run: the shim that records run_iptables' argv. Live: undefined, run_iptables runs iptables. */
  readonly runIptablesShim?: string;
}

/** The function Shorewall wraps a hook in: run_init_exit, run_isusable_exit, ... */
export function exitFunction(hook: string): string {
  return `run_${hook.replace(/[^A-Za-z0-9_]/g, '_')}_exit`;
}

/**
 * The hook's first line shares the function's opening line (after `{ :;`, so a `#!` line stays a
 * comment and an empty hook is still a valid body): line N of the hook is line N of the wrapper,
 * and sh's error messages point at the hook's own lines.
 */
export function wrapperScript(spec: WrapperSpec): Buffer {
  const fn = exitFunction(spec.hook);
  const newline = spec.body.length && spec.body[spec.body.length - 1] !== 0x0a ? '\n' : '';
  const tail = [
    `${newline}}`,
    "# Hooksmith's lines from here on, not the hook's.",
    spec.runIptablesShim ? `run_iptables() { ${shQuote(spec.runIptablesShim)} "$@"; }` : liveRunIptables,
    ...(spec.libPrivate ? [`. ${shQuote(spec.libPrivate)}`] : []),
    `: > "\${0%/*}/${marker.called}"`,
    `${fn} "$@"`,
    'hooksmith_status=$?',
    `: > "\${0%/*}/${marker.returned}"`,
    'exit "$hooksmith_status"',
    '',
  ].join('\n');
  return Buffer.concat([Buffer.from(`${fn}() { :; `), spec.body, Buffer.from(tail)]);
}

// As lib.common's run_iptables, minus the firewall stop a simulation cannot do: report and exit 2.
const liveRunIptables = [
  'run_iptables() {',
  '    iptables "$@" && return 0',
  '    echo "   ERROR: Command \\"iptables $*\\" Failed" >&2',
  `    : > "\${0%/*}/${marker.runIptablesFailed}"`,
  '    exit 2',
  '}',
].join('\n');
