import * as path from 'node:path';
import { ShellcheckPlan, shellDialectOf } from '../../shellcheck/plan';
import { hasCrlf, interpreter, shebang } from '../common/fileChecks';
import { isWindowsType } from './naming';

const byExtension = new Map([
  ['', 'sh'],
  ['.sh', 'sh'],
  ['.bash', 'bash'],
  ['.dash', 'dash'],
  ['.ksh', 'ksh'],
] as const);

/** An AnyConnect hook runs as its shebang says; without one, its extension decides (the executor itself would refuse it). */
export function anyconnectShellcheck(_recognized: unknown, file: string, text: string): ShellcheckPlan | undefined {
  if (isWindowsType(file)) return undefined;
  const line = shebang(text);
  const shell = line !== undefined ? shellDialectOf(interpreter(line)) : byExtension.get(path.extname(file).toLowerCase() as never);
  // CRLF line ends are HS407's one problem; ShellCheck's SC1017 on every such line would repeat it.
  return shell ? { shell, input: text, linesBefore: 0, exclude: hasCrlf(text) ? ['SC1017'] : [] } : undefined;
}
