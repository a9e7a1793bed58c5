import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang } from '../common/fileChecks';
import { Recognized } from '../family';

/**
 * As its #! line says; without one on line 1, as sh (NetworkManager's spawn falls back to /bin/sh).
 * SC2154: NetworkManager sets the variables; SC1128 (#! not on line 1): HS705 says it with the consequence.
 */
export function nmShellcheck(_recognized: Recognized, _file: string, text: string): ShellcheckPlan | undefined {
  const line = shebang(text);
  const shell = line === undefined ? 'sh' : shellDialectOf(interpreter(line));
  return shell ? { shell, input: text, linesBefore: 0, exclude: ['SC2154', 'SC1128', ...(hasCrlf(text) ? ['SC1017'] : [])] } : undefined;
}
