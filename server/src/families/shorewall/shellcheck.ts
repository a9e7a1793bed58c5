import { asFunctionBody, ShellcheckPlan } from '../../shellcheck/plan';
import { Recognized } from '../family';

// The generated firewall script's own functions use `local`: Shorewall requires a shell that has it.
export const shorewallExclude = ['SC3043'];

/** Run-time hooks are read inside a function, as Shorewall pastes them; the library and CLI hooks as sh; Perl not at all. */
export function shorewallShellcheck(recognized: Recognized, _file: string, text: string): ShellcheckPlan | undefined {
  switch (recognized.hook.runModel) {
    case 'function-body':
      return asFunctionBody(text, shorewallExclude);
    case 'library':
    case 'cli-tool':
      return { shell: 'sh', input: text, linesBefore: 0, exclude: shorewallExclude };
    default:
      return undefined;
  }
}
