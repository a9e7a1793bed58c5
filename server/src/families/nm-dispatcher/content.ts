import * as path from 'node:path';
import { append } from '../../append';
import { Finding, finding } from '../../diagnostics';
import { Node, sourceOf, Tree } from '../../shell/parser';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { commands, ShellCommand } from '../../shell/walk';
import { casePatternMatches as globMatches } from '../../shell/casePattern';
import { listFolder } from '../../fileKinds';
import { Change, ChangeKind, changesMade, changesUndone, isUndone } from '../common/changes';
import { keysOfScripts } from '../common/scriptsAround';
import { HookFile, HookSpec } from '../family';
import { Action, actions, Folder, folderOf } from './hooks';
import { dispatcherDirOfFile, linkedFile, linksToDevNull, mergedFolder, realpathOf, treesOf } from './trees';

/** Content rules: where the #! line is, which actions the script handles and where it lives, what up adds and down removes, what blocks. */
export function contentFindings(file: HookFile, hook: HookSpec): Finding[] {
  const found = misplacedShebang(file.text);
  append(
    found,
    withinParseBudget(file.text, (tree) => {
      const out = shellSyntaxFindings(tree);
      const cmds = commands(tree);
      const dispatch = actionDispatch(tree);
      append(out, wrongFolder(file, hook, dispatch), unfiltered(cmds, dispatch), neverUndone(file, hook, cmds, dispatch));
      append(out, blocking(file, hook, cmds));
      return out;
    }),
  );
  return found;
}

// ── the #! line ──

/**
 * NetworkManager execs the file; without #! as its very first bytes the kernel refuses (ENOEXEC)
 * and GLib's spawn runs it with /bin/sh instead, so a #! line further down is a comment.
 */
function misplacedShebang(text: string): Finding[] {
  if (text.startsWith('#!') || text.startsWith('\uFEFF#!')) return [];
  const m = /^[ \t]*(#![^\r\n]*)/m.exec(text);
  if (!m) return [];
  const start = m.index + m[0].indexOf('#!');
  const line = text.slice(0, start).split('\n').length;
  return [
    finding(
      'HS705',
      start,
      start + m[1].length,
      `The #! line is on line ${line}, not line 1: the kernel does not see it, so NetworkManager's spawn falls back to ` +
        `/bin/sh and "${m[1].trim()}" is only a comment (bash-only syntax then fails). Move it to the first line, with ` +
        `nothing before it.`,
    ),
  ];
}

// ── the actions a script handles ──

/** A place where the script compares the action with a name: a case pattern, or a word in a test. */
interface Handled {
  readonly actions: readonly Action[];
  /** The pattern as written is one action name (not a glob). */
  readonly literal: boolean;
  readonly start: number;
  readonly end: number;
  /** The code it selects: a case branch, or the body of the if / elif whose condition tests it. */
  readonly branch?: Span;
}

interface Span {
  readonly startIndex: number;
  readonly endIndex: number;
}

interface Dispatch {
  /** The script reads $2 or NM_DISPATCHER_ACTION (or a variable set from them). */
  readonly readsAction: boolean;
  readonly handled: readonly Handled[];
  /** A case pattern the analysis cannot read ($x): which actions it takes is unknown. */
  readonly computed: boolean;
  /** The action picks code to run: a case on it, or an if / elif chain testing it. */
  readonly hasBranches: boolean;
}

const actionRead = /\$\{?(2|NM_DISPATCHER_ACTION)(?![\w])/;

/** Names the script gives the action: action=$2, ACTION="$NM_DISPATCHER_ACTION". */
function actionAliases(source: string): string[] {
  const names = new Set<string>();
  const re = /(?:^|[\s;(])([A-Za-z_]\w*)=["']?\$\{?(?:2|NM_DISPATCHER_ACTION)\}?["']?(?=[\s;)]|$)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) names.add(m[1]);
  return [...names];
}

function actionDispatch(tree: Tree): Dispatch {
  const source = sourceOf(tree);
  const aliases = actionAliases(source);
  const names = ['2', 'NM_DISPATCHER_ACTION', ...aliases].map((n) => n.replace(/[^\w]/g, ''));
  const isAction = new RegExp(`^"?\\$\\{?(${names.join('|')})\\}?"?$`);
  const mentions = new RegExp(`\\$\\{?(${names.join('|')})(?![\\w])`);
  const readsAction = actionRead.test(withoutComments(source));
  const handled: Handled[] = [];
  let computed = false;
  let hasCase = false;
  if (!readsAction) return { readsAction, handled, computed, hasBranches: false };
  for (const stmt of tree.rootNode.descendantsOfType('case_statement')) {
    const value = stmt?.childForFieldName('value');
    if (!stmt || !value || !isAction.test(source.slice(value.startIndex, value.endIndex))) continue;
    hasCase = true;
    for (const item of stmt.namedChildren) {
      if (item?.type !== 'case_item') continue;
      for (const p of item.childrenForFieldName('value')) {
        if (!p) continue;
        const text = unquote(source.slice(p.startIndex, p.endIndex));
        if (/[$`]/.test(text)) computed = true;
        if (text === '*') continue;
        const matched = actions.filter((a) => globMatches(text, a));
        handled.push({ actions: matched, literal: !/[*?[]/.test(text), start: p.startIndex, end: p.endIndex, branch: item });
      }
    }
  }
  for (const c of commands(tree)) {
    if (!['[', 'test', '[['].includes(c.name) || !c.args.some((a) => mentions.test(a))) continue;
    c.args.forEach((a, i) => {
      const word = unquote(a);
      if ((actions as readonly string[]).includes(word))
        handled.push({ actions: [word as Action], literal: true, start: c.argSpans[i].startIndex, end: c.argSpans[i].endIndex });
    });
  }
  for (const t of tree.rootNode.descendantsOfType('test_command')) {
    if (!t || !mentions.test(t.text)) continue;
    // A whole word: `*up` in [[ $2 == *up ]] is a pattern, not the action up.
    const re = /(?<![\w*?$-])(["']?)([a-z0-9-]+)\1(?![\w*?-])/g;
    for (let m = re.exec(t.text); m; m = re.exec(t.text)) {
      if (!(actions as readonly string[]).includes(m[2])) continue;
      handled.push({ actions: [m[2] as Action], literal: true, start: t.startIndex + m.index, end: t.startIndex + m.index + m[0].length });
    }
  }
  const ifBranches = conditionBodies(tree);
  const withBranch = handled.map((h) =>
    h.branch ? h : { ...h, branch: ifBranches.find((b) => h.start >= b.start && h.end <= b.end)?.body },
  );
  return { readsAction, handled: withBranch, computed, hasBranches: hasCase || withBranch.some((h) => h.branch) };
}

/**
 * Each `if` and `elif` of the script: its condition and the body it selects (from `then` to the
 * next elif, else or fi), so `if [ "$2" = up ]; then ... elif [ "$2" = down ]; then ...` is read
 * branch by branch, as a case is.
 */
function conditionBodies(tree: Tree): { start: number; end: number; body: Span }[] {
  const out: { start: number; end: number; body: Span }[] = [];
  for (const clause of [...tree.rootNode.descendantsOfType('if_statement'), ...tree.rootNode.descendantsOfType('elif_clause')]) {
    if (!clause) continue;
    const parts = clause.children.filter((c): c is Node => c !== null);
    const then = parts.findIndex((c) => c.type === 'then');
    if (then < 1) continue;
    const next = parts.slice(then + 1).find((c) => ['elif_clause', 'else_clause', 'fi'].includes(c.type));
    const body = { startIndex: parts[then].endIndex, endIndex: next ? next.startIndex : clause.endIndex };
    out.push({ start: parts[0].endIndex, end: parts[then].startIndex, body });
  }
  return out;
}

function withoutComments(source: string): string {
  return source.replace(/(^|\s)#[^\n]*/g, '$1');
}

/**
 * Whether this script also sits in the folder that receives an action, as NetworkManager sees that folder: /etc's and the
 * mirrored /usr/lib's merged by name (HS711). It does when the merged folder has its name (not masked by a /etc link to
 * /dev/null) or a link to it (a server path such as /etc/NetworkManager/dispatcher.d/90-vpn is read in the mirror).
 */
function alsoIn(file: HookFile, folder: Folder): 'yes' | 'no' | 'masked' {
  const name = path.basename(file.path);
  const dispatcherDir = dispatcherDirOfFile(file.path);
  const { byName } = mergedFolder(dispatcherDir, folder, 256);
  const same = byName.get(name);
  if (same && !linksToDevNull(path.join(same.dir, name))) return 'yes';
  const real = linkedFile(file.path, dispatcherDir);
  const linked = [...byName]
    .slice(0, 64)
    .some(([n, e]) => n !== name && real !== undefined && linkedFile(path.join(e.dir, n), dispatcherDir) === real);
  return linked ? 'yes' : same ? 'masked' : 'no';
}

/** `pre-down` handled by a script only in dispatcher.d, `up` by one only in pre-up.d: NetworkManager never sends them there. */
function wrongFolder(file: HookFile, hook: HookSpec, d: Dispatch): Finding[] {
  if (hook.name === 'no-wait.d') return []; // it runs for the actions of the folders that link to it
  const own = hook.name as Folder;
  return d.handled.flatMap((h) => {
    if (!h.literal || h.actions.length !== 1) return [];
    const action = h.actions[0];
    const receiver = folderOf(action);
    const there = receiver === own ? 'yes' : alsoIn(file, receiver);
    if (there === 'yes') return [];
    const where = receiver === 'dispatcher.d' ? 'dispatcher.d itself' : `dispatcher.d/${receiver}`;
    const masked =
      there === 'masked' ? ` (its ${path.basename(file.path)} there is a link to /dev/null in /etc: masked, so it never runs)` : '';
    return [
      finding(
        'HS706',
        h.start,
        h.end,
        `NetworkManager never sends ${action} to a script in ${own}: it runs scripts for ${action} only from ${where}` +
          `${masked}, so this branch never runs. Put the script (or a symbolic link to it) in ${where}.`,
      ),
    ];
  });
}

// ── changes ──

// What a dispatcher script adds for a connection: routes, policy rules, firewall rules, mounts.
const hs708Kinds: readonly ChangeKind[] = ['route', 'rule', 'iptables', 'mount'];

function made(cmds: readonly ShellCommand[]): Change[] {
  return changesMade(cmds, hs708Kinds).sort((a, b) => a.command.startIndex - b.command.startIndex);
}

/** Adds routes, rules or firewall entries without ever looking at the action: it redoes them for every action. */
function unfiltered(cmds: readonly ShellCommand[], d: Dispatch): Finding[] {
  if (d.readsAction) return [];
  const changes = made(cmds);
  if (!changes.length) return [];
  const first = changes[0].command;
  return [
    finding(
      'HS707',
      first.nameSpan.startIndex,
      first.endIndex,
      `This script never tests $2 (or NM_DISPATCHER_ACTION), so ` +
        `${changes.length > 1 ? `its ${changes.length} changes run` : 'this runs'} ` +
        `for every action: up and down alike, and every dhcp4-change, hostname and connectivity-change too (with $1 ` +
        `empty or "none"). Dispatch on the action first: case "$2" in vpn-up) ... ;; vpn-down) ... ;; esac.`,
    ),
  ];
}

const pairs: readonly (readonly [Action, Action])[] = [
  ['up', 'down'],
  ['vpn-up', 'vpn-down'],
];

/** What up / vpn-up adds that neither this script's down / vpn-down branch nor another script of the folders removes. */
function neverUndone(file: HookFile, hook: HookSpec, cmds: readonly ShellCommand[], d: Dispatch): Finding[] {
  if (!d.readsAction || d.computed) return [];
  const found: Finding[] = [];
  let elsewhere: Set<string> | undefined | null = null;
  const others = (): Set<string> | undefined => (elsewhere === null ? (elsewhere = undoneByOthers(file)) : elsewhere);
  for (const [up, down] of pairs) {
    const upCmds = d.hasBranches ? branchCommands(d, up, cmds) : guardedFor(d, up) ? cmds : [];
    const changes = made(upCmds);
    if (!changes.length) continue;
    const own = changesUndone(d.hasBranches ? branchCommands(d, down, cmds) : []);
    const left = changes.filter((c) => !isUndone(c, own));
    // The other scripts are read only when this one leaves something: the common, symmetric script costs no reads.
    const rest = left.length ? others() : undefined;
    if (rest === undefined) continue; // nothing left, or another script could not be read: it may remove anything
    for (const c of left) {
      if (isUndone(c, rest)) continue;
      found.push(
        finding(
          'HS708',
          c.command.nameSpan.startIndex,
          c.command.endIndex,
          `${c.done} on ${up}, but nothing removes it on ${down} (not this script, not another in ` +
            `${hook.name === 'dispatcher.d' ? 'dispatcher.d' : 'the dispatcher folders'}): each ${up} adds one more. ` +
            `Add "${c.undo}" for ${down}.`,
        ),
      );
    }
  }
  return found;
}

/** The commands of the case branches (and if / elif bodies) that take `action`. */
function branchCommands(d: Dispatch, action: Action, cmds: readonly ShellCommand[]): ShellCommand[] {
  const branches = [...new Set(d.handled.filter((h) => h.branch && h.actions.includes(action)).map((h) => h.branch as Span))];
  return cmds.filter((c) => branches.some((b) => c.startIndex >= b.startIndex && c.endIndex <= b.endIndex));
}

/** A script without a case that tests for this one action only (`[ "$2" = vpn-up ] || exit 0`): all of it is for that action. */
function guardedFor(d: Dispatch, action: Action): boolean {
  const tested = new Set(d.handled.flatMap((h) => h.actions));
  return tested.size === 1 && tested.has(action);
}

const maxFolderFiles = 64;

/** What the other scripts of dispatcher.d and pre-down.d undo; undefined when one could not be parsed. */
function undoneByOthers(file: HookFile): Set<string> | undefined {
  const own = path.resolve(file.path);
  const here = path.dirname(own);
  const dispatcherDir = path.basename(here) === 'dispatcher.d' ? here : path.dirname(here);
  const mirror = treesOf(dispatcherDir).other;
  const roots = [dispatcherDir, ...(mirror ? [mirror] : [])];
  const others = roots
    .flatMap((d) => [d, path.join(d, 'pre-down.d')])
    .flatMap((dir) =>
      listFolder(dir)
        .sort()
        .slice(0, maxFolderFiles)
        .map((name) => path.join(dir, name))
        .filter((f) => f !== own),
    );
  return keysOfScripts(others, (t) => changesUndone(commands(t)));
}

// ── what blocks the queue ──

/** Whether the script runs from no-wait.d: its own folder, or the folder of what its link leads to (nm-dispatcher.c script_must_wait). */
function inNoWait(file: HookFile, hook: HookSpec): boolean {
  if (hook.name === 'no-wait.d') return true;
  const real = realpathOf(file.path);
  return real !== undefined && path.basename(path.dirname(real)) === 'no-wait.d';
}

/** sleep and `nmcli connection up` in a script NetworkManager waits for: every later script (and action) waits too. */
function blocking(file: HookFile, hook: HookSpec, cmds: readonly ShellCommand[]): Finding[] {
  if (inNoWait(file, hook)) return [];
  return cmds.flatMap((c) => {
    const name = c.name.split('/').pop() ?? c.name;
    const words = c.args.filter((a) => !a.startsWith('-'));
    const nmcliUp = name === 'nmcli' && /^c(o(n(n(e(c(t(i(o(n)?)?)?)?)?)?)?)?)?$/.test(words[0] ?? '') && words[1] === 'up';
    if (name !== 'sleep' && !nmcliUp) return [];
    const what = nmcliUp
      ? '`nmcli connection up` waits for an activation that itself queues dispatcher actions behind this script'
      : `sleep ${c.args.join(' ')} holds the queue`;
    return [
      finding(
        'HS709',
        c.nameSpan.startIndex,
        c.endIndex,
        `${what}: NetworkManager runs dispatcher scripts one at a time, so every later script, and every later action's, ` +
          `waits for this one (up to its 600 s timeout). Put the script in dispatcher.d/no-wait.d and link it from ` +
          `${hook.name === 'no-wait.d' ? 'dispatcher.d' : hook.name}, or run the slow part in the background.`,
      ),
    ];
  });
}

// ── helpers ──

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, '$2');
}
