import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang } from '../common/fileChecks';
import { Recognized } from '../family';
import { rolesOf } from './content';

/** As its #! line says; run by ocserv-fw (restrictions in ocserv.conf, for connect or disconnect) as sh, whatever that line says. */
export function ocservShellcheck(recognized: Recognized, _file: string, text: string): ShellcheckPlan | undefined {
  const line = shebang(text);
  const shell = rolesOf(recognized).fw ? 'sh' : line !== undefined ? shellDialectOf(interpreter(line)) : 'sh';
  return shell ? { shell, input: text, linesBefore: 0, exclude: hasCrlf(text) ? ['SC1017'] : [] } : undefined;
}
