import * as path from 'node:path';
import { Finding, finding, withFix } from '../../diagnostics';
import { isParseFailure, Node, parseBudget, sourceOf, withShellTree, Tree } from '../../shell/parser';
import { assignedNames, commands, Span, variableUses } from '../../shell/walk';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { dryRunBypassFindings } from '../../simulate/dryRunRule';
import { nearest } from '../../text/nearest';
import { interpreter, shebang, shellInterpreters } from '../common/fileChecks';
import { HookFile } from '../family';
import { anyconnectEnv, sentEvents } from './env';
import { eventPrefix, isWindowsType } from './naming';
import { Change, ChangeKind, changesMade, changesUndone, isUndone } from '../common/changes';

/** Content rules for shell hooks; other languages (VBScript, PowerShell) are not parsed. */
export function contentFindings(file: HookFile, event: string): Finding[] {
  if (!isShellHook(file)) return [];
  return withinParseBudget(file.text, (tree) => [
    ...shellSyntaxFindings(tree),
    ...dryRunBypassFindings(tree),
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
  const suspects = variableUses(tree).filter((u) => u.name.startsWith('CISCO_VPN_') && !known.includes(u.name));
  if (!suspects.length) return [];
  const own = assignedNames(tree); // only now: collecting assignments walks the whole tree
  return suspects
    .filter((u) => !own.has(u.name))
    .map((u) => {
      const guess = known.find((k) => k.startsWith(u.name) || u.name.startsWith(k)) ?? nearest(u.name, known);
      const hint = guess ? `did you mean ${guess}?` : `the executor sets only ${known.join(', ')}.`;
      const f = finding('HS450', u.node.startIndex, u.node.endIndex, `$${u.name} is never set: ${hint}`);
      return guess ? withFix(f, { kind: 'replace', with: guess }) : f;
    });
}

/** `[ "$CISCO_VPN_EVENT" = reconnect ]` and `case $CISCO_VPN_EVENT in up)`: values the executor never sends. */
function eventComparisons(tree: Tree): Finding[] {
  const source = sourceOf(tree);
  if (!source.includes('CISCO_VPN_EVENT')) return [];
  // Text is sliced from the source: reading node.text out of WebAssembly is the slow part on big hooks.
  const span = (node: Node): Span => ({
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    text: source.slice(node.startIndex, node.endIndex),
  });
  const found: Finding[] = [];
  const report = (at: Span): void => {
    const value = unquote(at.text);
    if ((sentEvents as readonly string[]).includes(value) || value === '*' || value.includes('$')) return;
    found.push(
      finding(
        'HS451',
        at.startIndex,
        at.endIndex,
        `CISCO_VPN_EVENT is never "${value}": the executor sends only ${sentEvents.join(' or ')} (reconnect and update ` +
          `arrive as disconnect).`,
      ),
    );
  };
  for (const expr of tree.rootNode.descendantsOfType('binary_expression')) {
    const [left, right] = [expr.childForFieldName('left'), expr.childForFieldName('right')];
    if (!left || !right) continue;
    const [l, r] = [span(left), span(right)];
    if (mentionsEvent(l)) report(r);
    else if (mentionsEvent(r)) report(l);
  }
  for (const c of commands(tree)) {
    if (c.name !== 'test') continue;
    c.argSpans.forEach((arg, i) => {
      const op = c.argSpans[i + 1]?.text;
      const other = c.argSpans[i + 2];
      if (mentionsEvent(arg) && other && (op === '=' || op === '==' || op === '!=')) report(other);
    });
  }
  for (const stmt of tree.rootNode.descendantsOfType('case_statement')) {
    const value = stmt.childForFieldName('value');
    if (!value || !mentionsEvent(span(value))) continue;
    for (const item of stmt.descendantsOfType('case_item')) {
      for (const pattern of item.childrenForFieldName('value')) if (pattern) report(span(pattern));
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

// HS452 is documented for routes, mounts and drives: firewall rules are other families' concern.
const hs452Kinds: readonly ChangeKind[] = ['route', 'route-macos', 'mount', 'net-use'];

/** Routes added and drives mounted on connect that no OnDisconnect hook in the folder removes. */
function changesNeverUndone(file: HookFile, tree: Tree): Finding[] {
  const made = changesMade(commands(tree), hs452Kinds);
  if (!made.length) return [];
  const undoLists = disconnectHooks(file).map((name) => undoneIn(file, name));
  if (undoLists.includes(unknown)) return []; // an OnDisconnect hook the parser gave up on may undo anything
  const undone = new Set((undoLists as string[][]).flat());
  return made.filter((c) => !isUndone(c, undone)).map((c) => unfinished(c, file));
}

function disconnectHooks(file: HookFile): string[] {
  // Only names Cisco's client runs: an undo in ondisconnect_x.sh never happens.
  return file.siblings.filter((s) => eventPrefix(s)?.event === 'OnDisconnect' && eventPrefix(s)?.kind === 'exact' && !isWindowsType(s));
}

/** What a sibling undoes when the parser gave up on it (cached too: it would give up again). */
const unknown = Symbol('unknown');

/**
 * What an OnDisconnect sibling undoes, by its text: while the OnConnect hook is edited, its
 * unchanged sibling is not parsed again on every keystroke.
 */
const undoneByText = new Map<string, string[] | typeof unknown>();
const undoneCacheSize = 16;

function undoneIn(file: HookFile, name: string): string[] | typeof unknown {
  const text = file.readSibling(name);
  if (text === undefined) return [];
  let undone = undoneByText.get(text);
  if (!undone) {
    undone = undoneWithin(text);
    if (undoneByText.size >= undoneCacheSize) undoneByText.delete(undoneByText.keys().next().value as string);
    undoneByText.set(text, undone);
  }
  return undone;
}

function undoneWithin(text: string): string[] | typeof unknown {
  try {
    return withShellTree(text, (tree) => [...changesUndone(commands(tree))], parseBudget(text));
  } catch (e) {
    if (isParseFailure(e)) return unknown;
    throw e;
  }
}

function unfinished(change: Change, file: HookFile): Finding {
  const where = disconnectHooks(file).length
    ? `no OnDisconnect hook in ${path.basename(path.dirname(path.resolve(file.path)))}/ undoes it`
    : 'this folder has no OnDisconnect hook';
  const f = finding(
    'HS452',
    change.command.startIndex,
    change.command.endIndex,
    `${change.done} on connect, but ${where}: add "${change.undo}" to the OnDisconnect hook.`,
  );
  return withFix(f, { kind: 'undo', command: change.undo, event: 'OnDisconnect' });
}
