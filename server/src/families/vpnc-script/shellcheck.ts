import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang } from '../common/fileChecks';
import { Recognized } from '../family';

/**
 * The script runs as its #! says (openconnect runs /bin/sh -c "<script>", which execs it); a
 * hook-folder file is sourced by the stock script's /bin/sh, whatever its own first line says.
 * SC2154 (reason, TUNDEV ... referenced but not assigned) would fire on every variable openconnect sets.
 */
export function vpncShellcheck(recognized: Recognized, _file: string, text: string): ShellcheckPlan | undefined {
  const line = shebang(text);
  const shell = recognized.hook.runModel === 'sourced' || line === undefined ? 'sh' : shellDialectOf(interpreter(line));
  return shell ? { shell, input: text, linesBefore: 0, exclude: ['SC2154', ...(hasCrlf(text) ? ['SC1017'] : [])] } : undefined;
}
