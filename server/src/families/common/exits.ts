import { Finding, finding, RuleCode, withFix } from '../../diagnostics';
import { Node } from '../../shell/parser';
import { ShellCommand } from '../../shell/walk';

/** An `exit` that runs in the caller's own shell, and the function of the hook it sits in, if any. */
export interface CallerExit {
  readonly command: ShellCommand;
  readonly inFunction?: string;
}

/**
 * For hooks whose text runs inside another script's shell (pasted as a function body, sourced):
 * `exit` at the top level, or in a function of the hook that the hook calls, ends that script.
 * An exit in a subshell, a pipeline or a substitution only ends that child.
 */
export function exitsInCallerShell(cmds: readonly ShellCommand[]): CallerExit[] {
  const called = new Set(cmds.filter((c) => c.topLevel).map((c) => c.name));
  return cmds.flatMap((c) => {
    if (c.name !== 'exit') return [];
    if (c.topLevel) return [{ command: c }];
    const fn = enclosingFunction(c.node());
    return fn && called.has(fn) ? [{ command: c, inFunction: fn }] : [];
  });
}

/** The function whose body holds `node` directly (no subshell, pipeline or substitution between). */
export function enclosingFunction(node: Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return p.childForFieldName('name')?.text;
    if (p.type === 'subshell' || p.type === 'pipeline' || p.type === 'command_substitution' || p.type === 'process_substitution')
      return undefined;
  }
  return undefined;
}

/** One finding per such exit, on the word `exit`, with `return` as the fix; `message` gets the function it is in, if any. */
export function exitFindings(
  cmds: readonly ShellCommand[],
  code: RuleCode,
  message: (inFunction: string | undefined) => string,
): Finding[] {
  return exitsInCallerShell(cmds).map(({ command: c, inFunction }) =>
    withFix(finding(code, c.nameSpan.startIndex, c.nameSpan.endIndex, message(inFunction)), { kind: 'replace', with: 'return' }),
  );
}
