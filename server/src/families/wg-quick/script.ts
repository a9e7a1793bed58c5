import { Finding, finding } from '../../diagnostics';
import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang, writableByOthers } from '../common/fileChecks';
import { HookFile } from '../family';

/** A script a hook line runs: as root, exec'd by the line's bash with the arguments written there. */
export function scriptFindings(file: HookFile): Finding[] {
  const writable = writableByOthers(file, 'root');
  return [...(writable ? [writable] : []), ...literalPercentI(file.text)];
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
