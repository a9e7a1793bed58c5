import * as path from 'node:path';
import { Finding, finding, withFix } from '../../diagnostics';
import { withShellTree, Tree } from '../../shell/parser';
import { assignedNames, commands, variableUses } from '../../shell/walk';
import { shellSyntaxFindings } from '../../shell/syntax';
import { nearest } from '../../text/nearest';
import { interpreter, shebang, shellInterpreters } from '../common/fileChecks';
import { HookFile } from '../family';
import { anyconnectEnv, sentEvents } from './env';
import { eventPrefix, isWindowsType } from './naming';
import { undoOf, Change, changesMade, changesUndone } from './changes';

/** Content rules for shell hooks; other languages (VBScript, PowerShell) are not parsed. */
export function contentFindings(file: HookFile, event: string): Finding[] {
  if (!isShellHook(file)) return [];
  return withShellTree(file.text, (tree) => [
    ...shellSyntaxFindings(tree),
    ...unknownVariables(tree),
    ...eventComparisons(tree),
    ...(event === 'OnConnect' ? changesNeverUndone(file, tree) : []),
  ]);
}

export function isShellHook(file: HookFile): boolean {
  if (isWindowsType(file.path)) return false;
  const line = shebang(file.text);
  return line === undefined || shellInterpreters.has(interpreter(line));
}

const known = anyconnectEnv.map((v) => v.name);

function unknownVariables(tree: Tree): Finding[] {
  const own = assignedNames(tree);
  return variableUses(tree)
    .filter((u) => u.name.startsWith('CISCO_VPN_') && !known.includes(u.name) && !own.has(u.name))
    .map((u) => {
      const guess = known.find((k) => k.startsWith(u.name) || u.name.startsWith(k)) ?? nearest(u.name, known);
      const hint = guess ? `did you mean ${guess}?` : `the executor sets only ${known.join(', ')}.`;
      return finding('HS450', u.node.startIndex, u.node.endIndex, `$${u.name} is never set: ${hint}`);
    });
}

/** `[ "$CISCO_VPN_EVENT" = reconnect ]` and `case $CISCO_VPN_EVENT in up)`: values the executor never sends. */
function eventComparisons(tree: Tree): Finding[] {
  const found: Finding[] = [];
  const report = (node: { startIndex: number; endIndex: number; text: string }, value: string): void => {
    if ((sentEvents as readonly string[]).includes(value) || value === '*' || value.includes('$')) return;
    found.push(finding('HS451', node.startIndex, node.endIndex, `CISCO_VPN_EVENT is never "${value}": the executor sends only ${sentEvents.join(' or ')} (reconnect and update arrive as disconnect).`));
  };
  for (const expr of tree.rootNode.descendantsOfType('binary_expression')) {
    const [left, right] = [expr.childForFieldName('left'), expr.childForFieldName('right')];
    if (!left || !right) continue;
    if (mentionsEvent(left)) report(right, unquote(right.text));
    else if (mentionsEvent(right)) report(left, unquote(left.text));
  }
  for (const c of commands(tree)) {
    if (c.name !== 'test') continue;
    c.argNodes.forEach((arg, i) => {
      const op = c.argNodes[i + 1]?.text;
      const other = c.argNodes[i + 2];
      if (mentionsEvent(arg) && other && (op === '=' || op === '==' || op === '!=')) report(other, unquote(other.text));
    });
  }
  for (const stmt of tree.rootNode.descendantsOfType('case_statement')) {
    const value = stmt.childForFieldName('value');
    if (!value || !mentionsEvent(value)) continue;
    for (const item of stmt.descendantsOfType('case_item')) {
      for (const pattern of item.childrenForFieldName('value')) if (pattern) report(pattern, unquote(pattern.text));
    }
  }
  return found;
}

function mentionsEvent(node: { text: string }): boolean {
  return /\$\{?CISCO_VPN_EVENT\b/.test(node.text);
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, '$2');
}

/** Routes added and drives mounted on connect that no OnDisconnect hook in the folder removes. */
function changesNeverUndone(file: HookFile, tree: Tree): Finding[] {
  const made = changesMade(commands(tree));
  if (!made.length) return [];
  const undone = new Set(disconnectHooks(file).flatMap((name) => undoneIn(file, name)));
  return made.filter((c) => !undone.has(c.key)).map((c) => unfinished(c, file));
}

function disconnectHooks(file: HookFile): string[] {
  // Only names Cisco's client runs: an undo in ondisconnect_x.sh never happens.
  return file.siblings.filter((s) => eventPrefix(s)?.event === 'OnDisconnect' && eventPrefix(s)?.kind === 'exact' && !isWindowsType(s));
}

function undoneIn(file: HookFile, name: string): string[] {
  const text = file.readSibling(name);
  if (text === undefined) return [];
  return withShellTree(text, (tree) => changesUndone(commands(tree)));
}

function unfinished(change: Change, file: HookFile): Finding {
  const where = disconnectHooks(file).length ? `no OnDisconnect hook in ${path.basename(path.dirname(path.resolve(file.path)))}/ undoes it` : 'this folder has no OnDisconnect hook';
  const undo = undoOf(change);
  const f = finding('HS452', change.command.node.startIndex, change.command.node.endIndex, `${change.what} on connect, but ${where}: add "${undo}" to the OnDisconnect hook.`);
  return withFix(f, { kind: 'undo', command: undo, event: 'OnDisconnect' });
}
