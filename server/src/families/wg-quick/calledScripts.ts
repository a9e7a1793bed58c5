/**
 * The scripts hook lines run (`PostUp = /etc/wireguard/up.sh %i`), read for what they change: their
 * commands with the positional parameters replaced by the arguments the line passes ($1 is the
 * interface when the line passes %i), so `iptables -A FORWARD -i "$1"` in up.sh and `iptables -D
 * FORWARD -i %i` in a PostDown line are the same rule.
 */
import { readRegularFileSync } from '../../files/readFile';
import { isParseFailure, parseBudget, withShellTree } from '../../shell/parser';
import { commands, ShellCommand } from '../../shell/walk';
import { decode } from '../../text/decode';
import { LocatedFile } from '../family';
import { ParsedLine } from './analysis';
import { scriptOf } from './config';
import { substituted } from './lines';

const maxScriptBytes = 1024 * 1024;

export interface CalledScript {
  readonly line: ParsedLine;
  /** Where the call's script path is in the config. */
  readonly start: number;
  readonly end: number;
  readonly file: string;
  /** The arguments the line passes, %i replaced. */
  readonly args: readonly string[];
  /** Its commands, positional parameters replaced by the arguments. */
  readonly commands: readonly ShellCommand[];
}

/** The call's arguments after the script (`bash up.sh a b`: a b), %i replaced. */
export function callArguments(l: ParsedLine, iface: string): string[] | undefined {
  const script = scriptOf(l);
  const c = l.commands[0];
  if (!script || !c) return undefined;
  return c.args.slice(script.direct ? 0 : 1).map((a) => substituted(a, iface));
}

/** The scripts the lines run that are in the workspace and parse. */
export function calledScripts(
  lines: readonly ParsedLine[],
  iface: string,
  locate: (serverPath: string) => LocatedFile | undefined,
): CalledScript[] {
  return lines.flatMap((l) => {
    const script = scriptOf(l);
    const args = callArguments(l, iface);
    if (!script || !args || /[$`]/.test(script.path)) return [];
    const file = locate(substituted(script.path, iface))?.file;
    const read = file ? readRegularFileSync(file, maxScriptBytes) : undefined;
    if (!file || read?.kind !== 'read') return [];
    const cmds = scriptCommands(decode(read.bytes), args);
    return cmds ? [{ line: l, start: script.start, end: script.end, file, args, commands: cmds }] : [];
  });
}

/** A script's commands with $1, ${2} ... replaced by `args`; undefined when the parser cannot read it. */
export function scriptCommands(text: string, args: readonly string[]): ShellCommand[] | undefined {
  try {
    return withShellTree(
      text,
      (tree) => commands(tree).map((c) => ({ ...c, node: unavailable, args: c.args.map((a) => withPositional(a, args)) })),
      parseBudget(text),
    );
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    return undefined;
  }
}

function withPositional(arg: string, args: readonly string[]): string {
  const replaced = arg.replace(/\$\{?([1-9])\}?(?![\w}])/g, (m, n: string) => args[Number(n) - 1] ?? m);
  // "$1" was kept quoted by the walk (an expansion); once replaced by a plain word it compares as that word.
  return /^"[^"$`\\]*"$/.test(replaced) ? replaced.slice(1, -1) : replaced;
}

function unavailable(): never {
  throw new Error('The tree of a called script is freed once it is read.');
}
