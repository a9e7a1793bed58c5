import { Finding, finding } from '../../diagnostics';
import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang, writableByOthers } from '../common/fileChecks';
import * as path from 'node:path';
import { changesMade, isUndone, netChangeKinds } from '../common/changes';
import { HookFile, Recognized } from '../family';
import { scriptCommands } from './calledScripts';

/** A script a hook line runs: as root, exec'd by the line's bash with the arguments written there. */
export function scriptFindings(file: HookFile, recognized?: Recognized): Finding[] {
  const writable = writableByOthers(file, 'root');
  return [...(writable ? [writable] : []), ...literalPercentI(file.text), ...neverUndone(file, recognized)];
}

/**
 * HS654 in a script a PreUp / PostUp line runs: what it adds (with the line's arguments for $1 ...)
 * that neither the config's down lines nor the scripts they run remove (the config's wiring facts).
 */
function neverUndone(file: HookFile, recognized: Recognized | undefined): Finding[] {
  const seen = new Set<number>();
  const out: Finding[] = [];
  for (const w of recognized?.wiredBy ?? []) {
    const facts = w.facts as { interface?: string; args?: string[]; undone?: string[] } | undefined;
    if (!facts?.args || !facts.undone) continue;
    const undone = new Set(facts.undone);
    const cmds = scriptCommands(file.text, facts.args) ?? [];
    for (const change of changesMade(cmds, netChangeKinds)) {
      const at = change.command.nameSpan.startIndex;
      if (isUndone(change, undone) || seen.has(at)) continue;
      seen.add(at);
      const down = w.key === 'PreUp' ? 'PreDown' : 'PostDown';
      const iface = facts.interface ?? '';
      const n = facts.args.indexOf(iface);
      const undo = iface && n >= 0 ? change.undo.split(iface).join(`"$${n + 1}"`) : change.undo;
      out.push(
        finding(
          'HS654',
          at,
          change.command.endIndex,
          `This adds ${change.what}, and ${path.basename(w.config)} (whose ${w.key} runs this script) removes it nowhere: ` +
            `no PreDown or PostDown line, nor a script one runs. It stays after wg-quick down, and each up adds one more. ` +
            `Run ${undo} on down (in the down script, or as ${down} = ...).`,
        ),
      );
    }
  }
  return out;
}

/** `%i` is replaced in the config's line only: in the script it is two characters (network-manager-wireguard#45's kind of slip). */
function literalPercentI(text: string): Finding[] {
  const out: Finding[] = [];
  for (let i = text.indexOf('%i'); i >= 0 && out.length < 20; i = text.indexOf('%i', i + 2)) {
    const lineStart = text.lastIndexOf('\n', i) + 1;
    if (/^\s*#/.test(text.slice(lineStart, i))) continue;
    out.push(
      finding(
        'HS660',
        i,
        i + 2,
        'wg-quick replaces %i only in the config line, not in a script the line runs: here it stays "%i". Pass the ' +
          'interface as an argument (PostUp = /path/to/script %i) and read "$1".',
      ),
    );
  }
  return out;
}

/** As its #! line says (bash runs the file as a command); without one, bash runs it itself. */
export function scriptShellcheck(text: string): ShellcheckPlan | undefined {
  const line = shebang(text);
  const shell = line === undefined ? 'bash' : shellDialectOf(interpreter(line));
  return shell ? { shell, input: text, linesBefore: 0, exclude: hasCrlf(text) ? ['SC1017'] : [] } : undefined;
}
