import { append } from '../../append';
import { Finding, finding, withFix } from '../../diagnostics';
import { Node, Tree } from '../../shell/parser';
import { exitFindings } from '../common/exits';
import { shebangAsComment } from '../common/fileChecks';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { dryRunBypassFindings } from '../../simulate/dryRunRule';
import { commands, ShellCommand } from '../../shell/walk';
import { clip } from '../../text/clip';
import { HookFile, HookSpec } from '../family';

/** Content rules by run model: shell function bodies, the library, CLI tools, compile-time Perl. */
export function contentFindings(file: HookFile, hook: HookSpec): Finding[] {
  if (hook.runModel === 'perl-compile-time') return perlFindings(file);
  return withinParseBudget(file.text, (tree) => {
    const found = shellSyntaxFindings(tree);
    const cmds = commands(tree);
    append(found, logRuleLimit(cmds));
    // Run-time hooks and the library pasted ahead of them are what a dry run runs.
    if (hook.runModel === 'function-body' || hook.runModel === 'library') append(found, dryRunBypassFindings(tree));
    if (hook.runModel !== 'function-body') return found;
    append(found, shebangComment(file), exits(cmds), iptablesCalls(cmds, hook.name));
    if (hook.name === 'isusable') append(found, isusableStatus(tree));
    return found;
  });
}

const shebangComment = (file: HookFile): Finding[] =>
  shebangAsComment(
    file,
    'HS441',
    'Shorewall pastes this file into its generated script as a function body: this #! line is only a comment, and ' +
      "the code runs in that script's sh.",
  );

/** exit at the top level, or in a function of this hook that it calls: both run in the firewall script's own shell. */
const exits = (cmds: readonly ShellCommand[]): Finding[] =>
  exitFindings(
    cmds,
    'HS440',
    (fn) =>
      `${fn ? `exit in ${fn}(), which this hook calls,` : 'exit here'} ends the whole generated firewall script, not ` +
      `just this hook: use return.`,
  );

const stateless = new Set(['started', 'restored']);

function iptablesCalls(cmds: readonly ShellCommand[], hook: string): Finding[] {
  const found: Finding[] = [];
  for (const c of cmds) {
    const name = c.name.split('/').pop();
    if (name === 'run_iptables' && stateless.has(hook)) {
      found.push(
        finding(
          'HS442',
          c.nameSpan.startIndex,
          c.nameSpan.endIndex,
          `run_iptables must not be called from ${hook}: the firewall is already marked running, and a failure would stop ` +
            `it half-configured. Call iptables directly and handle its status.`,
        ),
      );
    } else if ((name === 'iptables' || name === 'ip6tables') && !stateless.has(hook)) {
      const six = name === 'ip6tables' ? ' (in shorewall6, run_iptables runs ip6tables)' : '';
      const f = finding(
        'HS443',
        c.nameSpan.startIndex,
        c.nameSpan.endIndex,
        `Use run_iptables instead of ${c.name}${six}: it stops the firewall (or restores the last save) when the ` +
          `command fails, where a bare ${name} failure goes unnoticed.`,
      );
      found.push(withFix(f, { kind: 'replace', with: 'run_iptables' }));
    }
  }
  return found;
}

function logRuleLimit(cmds: readonly ShellCommand[]): Finding[] {
  return cmds
    .filter((c) => c.name === 'log_rule_limit')
    .map((c) =>
      finding(
        'HS444',
        c.nameSpan.startIndex,
        c.nameSpan.endIndex,
        'log_rule_limit exists only in Perl, at compile time, in current Shorewall: call it from the compile hook, not from a shell hook.',
      ),
    );
}

/**
 * isusable's status says whether the interface ($1) is usable (0 = usable). When its last
 * statement is a case without a * branch, or an if without an else, an interface that matches
 * nothing falls through with status 0 and counts as usable.
 */
function isusableStatus(tree: Tree): Finding[] {
  const last = lastStatement(tree.rootNode);
  if (!last) return [];
  if (
    last.type === 'case_statement' &&
    !last.descendantsOfType('case_item').some((item) => item.childrenForFieldName('value').some((v) => v?.text === '*'))
  ) {
    const f = finding(
      'HS445',
      last.startIndex,
      last.startIndex + 4,
      'This case has no *) branch: an interface it does not list falls through with status 0, so isusable reports it ' +
        'usable. Add *) return 0 ;; (or return 1) to decide explicitly.',
    );
    return [withFix(f, { kind: 'add-default-branch' })];
  }
  if (last.type === 'if_statement' && !last.namedChildren.some((c) => c?.type === 'else_clause')) {
    return [
      finding(
        'HS445',
        last.startIndex,
        last.startIndex + 2,
        'This if has no else: when its condition is false the if returns 0, so isusable reports the interface usable. ' +
          'Add an else with an explicit return (return 1 for unusable).',
      ),
    ];
  }
  return [];
}

function lastStatement(root: Node): Node | undefined {
  const statements = root.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  return statements[statements.length - 1];
}

/** Compile-time hooks are evaluated by Perl and must end by returning a true value. */
function perlFindings(file: HookFile): Finding[] {
  const code = file.text.replace(/\n__END__[\s\S]*$/, '');
  const last = lastPerlLine(code);
  if (!last || /^(return\s+)?(['"]?[1-9]\d*['"]?)\s*;?$/.test(last.text)) return [];
  return [
    finding(
      'HS446',
      last.start,
      last.start + last.text.length,
      `A compile-time hook must end by returning a true value, or the compiler reports a failure; this one ends with ` +
        `"${clip(last.text)}". End the file with 1;`,
    ),
  ];
}

/** A line without its trailing `  # comment` (found with indexOf: /\s+#.*$/ is quadratic on a long run of blanks). */
function withoutComment(line: string): string {
  const hash = line.search(/\s#/);
  return hash < 0 ? line : line.slice(0, hash);
}

/** The last line of Perl code (comments, blank lines and POD left out), trimmed, with its offset. */
function lastPerlLine(code: string): { text: string; start: number } | undefined {
  let last: { text: string; start: number } | undefined;
  let offset = 0;
  let pod = false;
  for (const line of code.split('\n')) {
    if (/^=\w/.test(line)) pod = !line.startsWith('=cut');
    const text = withoutComment(line).trim();
    if (!pod && text && !text.startsWith('#') && !text.startsWith('=')) last = { text, start: offset + line.indexOf(text) };
    offset += line.length + 1;
  }
  return last;
}
