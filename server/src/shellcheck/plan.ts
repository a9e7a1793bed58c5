import * as path from 'node:path';
import { hasCrlf, interpreter, shebang } from '../families/common/fileChecks';
import { isWindowsType } from '../families/anyconnect/naming';
import { Recognized } from '../families/family';

/** The dialects ShellCheck 0.9 accepts for --shell. */
export type ShellDialect = 'sh' | 'bash' | 'dash' | 'ksh';

/** How one hook is shown to ShellCheck: the text it reads, its dialect, and where the hook's own lines start. */
export interface ShellcheckPlan {
  readonly shell: ShellDialect;
  readonly input: string;
  /** Lines of `input` before the hook's first line (a wrapper's header). */
  readonly linesBefore: number;
  /** Codes that do not apply to how this hook runs. */
  readonly exclude: readonly string[];
}

// The generated firewall script's own functions use `local`: Shorewall requires a shell that has it.
const shorewallExclude = ['SC3043'];

/** Whether and how ShellCheck checks a recognised hook; undefined for Perl, Windows scripts and shells it does not know. */
export function shellcheckPlan(recognized: Recognized, file: string, text: string): ShellcheckPlan | undefined {
  switch (recognized.hook.runModel) {
    case 'executable':
      return executablePlan(file, text);
    case 'function-body':
      return asFunctionBody(text);
    case 'library':
    case 'cli-tool':
      return { shell: 'sh', input: text, linesBefore: 0, exclude: shorewallExclude };
    case 'perl-compile-time':
      return undefined;
  }
}

const wrapperName = 'hooksmith_hook';

/**
 * Shorewall pastes a run-time hook into its generated sh script as a function body, where
 * `return` and `local` are legal: ShellCheck reads it inside a function, called with the
 * script's arguments. The header keeps the hook's columns; `:` keeps an empty hook valid.
 */
export function asFunctionBody(text: string): ShellcheckPlan {
  const input = `${wrapperName}() { :\n${text}\n}\n${wrapperName} "$@"\n`;
  return { shell: 'sh', input, linesBefore: 1, exclude: shorewallExclude };
}

const dialects = new Map<string, ShellDialect>([
  ['sh', 'sh'], ['ash', 'sh'], ['busybox', 'sh'], ['dash', 'dash'], ['bash', 'bash'], ['ksh', 'ksh'], ['mksh', 'ksh'], ['pdksh', 'ksh'], ['ksh93', 'ksh'],
]);
const byExtension = new Map<string, ShellDialect>([['', 'sh'], ['.sh', 'sh'], ['.bash', 'bash'], ['.dash', 'dash'], ['.ksh', 'ksh']]);

/** An AnyConnect hook runs as its shebang says; without one, its extension decides (the executor itself would refuse it). */
function executablePlan(file: string, text: string): ShellcheckPlan | undefined {
  if (isWindowsType(file)) return undefined;
  const line = shebang(text);
  const shell = line !== undefined ? dialects.get(interpreter(line)) : byExtension.get(path.extname(file).toLowerCase());
  // CRLF line ends are HS407's one problem; ShellCheck's SC1017 on every such line would repeat it.
  return shell ? { shell, input: text, linesBefore: 0, exclude: hasCrlf(text) ? ['SC1017'] : [] } : undefined;
}
