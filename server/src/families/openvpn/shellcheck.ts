import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang } from '../common/fileChecks';
import { Recognized } from '../family';

/**
 * OpenVPN execs the script: its #! line says which shell (sh without one, which the exec itself refuses). SC2154 (dev, script_type ...
 * referenced but not assigned) would fire on every variable OpenVPN sets; misspelt ones are HS624.
 */
export function openvpnShellcheck(_recognized: Recognized, _file: string, text: string): ShellcheckPlan | undefined {
  const line = shebang(text);
  const shell = line !== undefined ? shellDialectOf(interpreter(line)) : 'sh';
  return shell ? { shell, input: text, linesBefore: 0, exclude: ['SC2154', ...(hasCrlf(text) ? ['SC1017'] : [])] } : undefined;
}
