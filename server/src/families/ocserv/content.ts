import * as path from 'node:path';
import { append } from '../../append';
import { Finding, finding, withFix } from '../../diagnostics';
import { readText } from '../../fileKinds';
import { isParseFailure, Node, parseBudget, sourceOf, Tree, withShellTree } from '../../shell/parser';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { assignedNames, commands, ShellCommand, Span, VariableUse, variableUses } from '../../shell/walk';
import { nearest } from '../../text/nearest';
import { Change, changesMade, changesUndone, goesWithTunnel, isUndone, netChangeKinds } from '../common/changes';
import { interpreter, onFirstLine, shebang, shellInterpreters } from '../common/fileChecks';
import { shellOwnVariables as shellOwn } from '../common/shellVariables';
import { HookFile, Recognized } from '../family';
import { Branch, branches, eventsAt, patterns, reasonCases, reasonComparison, reasonIfs } from './dispatch';
import { ocservEnv, throughFw } from './hooks';
import { OcservFacts } from './config';

/** What the content rules know of a script: the events it runs for, its config's facts, and how ocserv starts it. */
export interface ScriptRoles {
  readonly events: readonly string[];
  readonly facts: OcservFacts | undefined;
  /** ocserv-fw runs it as `/bin/sh script` for one of its events (restrictions; connect or disconnect). */
  readonly fw: boolean;
  /** ocserv execs it itself for one of its events (no restriction, or host-update): it needs #! and the execute bit. */
  readonly execd: boolean;
}

export function rolesOf(recognized: Recognized): ScriptRoles {
  const facts = recognized.wiredBy?.find((w) => w.facts)?.facts as OcservFacts | undefined;
  const events = recognized.hook.runBy;
  const restricted = !!facts?.restricted;
  return {
    events,
    facts,
    fw: events.some((e) => throughFw(e, restricted)),
    execd: events.some((e) => !throughFw(e, restricted)),
  };
}

/** Content rules for shell scripts (other interpreters are not parsed). */
export function contentFindings(file: HookFile, recognized: Recognized): Finding[] {
  const line = shebang(file.text);
  if (line !== undefined && !shellInterpreters.has(interpreter(line))) return [];
  const roles = rolesOf(recognized);
  return withinParseBudget(file.text, (tree) => {
    const found = shellSyntaxFindings(tree);
    const all = branches(tree);
    const cmds = commands(tree);
    const uses = variableUses(tree); // once: each use is a node read out of WebAssembly
    append(found, unknownVariables(tree, uses), positional(tree, uses), statsOnConnect(uses, all, roles.events));
    if (roles.events.includes('host-update')) append(found, hostUpdateAsDisconnect(tree));
    if (roles.events.includes('connect')) {
      append(found, incidentalLast(tree, all, roles.events), crashAdmits(tree, cmds, all, roles.events));
      append(found, neverRemoved(file, cmds, all, roles));
    }
    return found;
  });
}

const known = ocservEnv.map((v) => v.name);

/** `$USER_NAME`, `$IP_REMOTE_`, `$OCSERV_ROUTE`: a name one or two letters from an ocserv variable, which ocserv never sets. */
function unknownVariables(tree: Tree, uses: readonly VariableUse[]): Finding[] {
  const suspects = uses.filter((u) => u.name.length >= 5 && !known.includes(u.name) && !shellOwn.has(u.name) && !/^\d/.test(u.name));
  if (!suspects.length) return [];
  const own = assignedNames(tree);
  return suspects.flatMap((u) => {
    if (own.has(u.name)) return [];
    const guess =
      known.find((k) => k.length >= 5 && (k === `${u.name}S` || `${k}_` === u.name || k === u.name.replace(/_$/, ''))) ??
      nearest(u.name, known);
    if (!guess) return [];
    const f = finding(
      'HS523',
      u.node.startIndex,
      u.node.endIndex,
      `ocserv never sets $${u.name}: did you mean $${guess}? As written it expands to an empty string.`,
    );
    return [withFix(f, { kind: 'replace', with: guess })];
  });
}

/** $1..$9 outside a function: ocserv has passed no arguments since 2013, so they are empty. */
function positional(tree: Tree, uses: readonly VariableUse[]): Finding[] {
  const numbered = uses.filter((u) => /^[1-9]$/.test(u.name));
  if (!numbered.length) return [];
  const source = sourceOf(tree);
  // Function bodies as offsets, found once (a walk up from each use would cross into WebAssembly per level).
  const bodies = tree.rootNode.descendantsOfType('function_definition').flatMap((f) => (f ? [[f.startIndex, f.endIndex] as const] : []));
  return numbered
    .filter((u) => !bodies.some(([start, end]) => start <= u.node.startIndex && u.node.endIndex <= end))
    .map((u) => {
      const braced = source[u.node.startIndex - 1] === '{';
      const start = u.node.startIndex - (braced ? 2 : 1);
      const end = u.node.endIndex + (braced && source[u.node.endIndex] === '}' ? 1 : 0);
      return finding(
        'HS524',
        start,
        end,
        `$${u.name} is always empty here: ocserv runs the script with no arguments (the positional arguments of 2013's ` +
          `ocserv are gone). Read the environment instead: $USERNAME, $DEVICE, $IP_REAL, $IP_REMOTE, ...`,
      );
    });
}

/** STATS_* where only connect (or host-update) runs: ocserv sets them on disconnect only. */
function statsOnConnect(uses: readonly VariableUse[], all: readonly Branch[], events: readonly string[]): Finding[] {
  return uses
    .filter((u) => u.name.startsWith('STATS_'))
    .filter((u) => {
      const here = eventsAt(all, u.node.startIndex, events);
      return here.length > 0 && !here.includes('disconnect');
    })
    .map((u) =>
      finding(
        'HS525',
        u.node.startIndex,
        u.node.endIndex,
        `$${u.name} is empty here: ocserv sets the STATS_ variables on disconnect only, and this code runs for ` +
          `${eventsAt(all, u.node.startIndex, events).join(' and ')}.`,
      ),
    );
}

/** An if on REASON = connect whose else does the teardown (the upstream sample), or a case whose *) does. */
function hostUpdateAsDisconnect(tree: Tree): Finding[] {
  const found: Finding[] = [];
  const message =
    'This branch runs for every REASON but connect, and this script is also the host-update-script: when a client ' +
    'sends its host name, host-update arrives here and tears down the live session (its rules, its routes). Test ' +
    'for disconnect explicitly and leave host-update alone.';
  for (const r of reasonIfs(tree)) {
    if (r.value !== 'connect' || r.hasElif) continue;
    if (!r.negated && r.elseClause && r.elseClause.descendantsOfType('command').length)
      found.push(finding('HS520', r.elseClause.startIndex, r.elseClause.startIndex + 4, message));
    if (r.negated) {
      const condition = r.node.childForFieldName('condition');
      if (condition) found.push(finding('HS520', condition.startIndex, condition.endIndex, message));
    }
  }
  append(found, afterConnectExit(tree));
  for (const c of reasonCases(tree)) {
    const items = c.namedChildren.filter((i): i is Node => i?.type === 'case_item');
    const named = items.flatMap(patterns);
    if (named.includes('host-update') || named.includes('disconnect')) continue;
    const star = items.find((i) => patterns(i).includes('*'));
    const value = star?.childrenForFieldName('value').find((v) => v?.text === '*');
    if (star && value && star.descendantsOfType('command').length) found.push(finding('HS520', value.startIndex, value.endIndex, message));
  }
  return found;
}

/**
 * The early-exit shape of the same mistake: `if [ "$REASON" = connect ]; then ...; exit 0; fi` (or `[ ... ] && { ...;
 * exit 0; }`) at the top level, then teardown code that every other REASON, host-update included, falls through to.
 */
function afterConnectExit(tree: Tree): Finding[] {
  const top = tree.rootNode.namedChildren.filter((n): n is Node => n !== null);
  const at = top.findIndex(isConnectThenExit);
  if (at < 0) return [];
  const rest = top.slice(at + 1).find((n) => !isReasonDispatch(n) && doesWork(n));
  if (!rest) return [];
  return [
    finding(
      'HS520',
      rest.startIndex,
      rest.startIndex + rest.text.split('\n')[0].length,
      'This code runs for every REASON but connect (connect exits above), and this script is also the ' +
        'host-update-script: when a client sends its host name, host-update arrives here and tears down the live ' +
        'session (its rules, its routes). Test for disconnect explicitly and leave host-update alone.',
    ),
  ];
}

/** `if [ "$REASON" = connect ]; then ...; exit; fi` with no else, or `[ "$REASON" = connect ] && { ...; exit; }`. */
function isConnectThenExit(n: Node): boolean {
  const isConnect = (text: string | undefined): boolean => {
    const test = text === undefined ? undefined : reasonComparison(text);
    return test?.value === 'connect' && !test.negated;
  };
  const endsInExit = (statements: readonly Node[]): boolean => {
    const last = statements.filter((c) => c.type !== 'comment').at(-1);
    return last?.type === 'command' && last.childForFieldName('name')?.text === 'exit';
  };
  const kids = n.namedChildren.filter((c): c is Node => c !== null);
  if (n.type === 'if_statement') {
    if (kids.some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return false;
    return isConnect(n.childForFieldName('condition')?.text) && endsInExit(kids.slice(1));
  }
  if (n.type === 'list' && n.children.some((c) => c?.type === '&&') && kids.length === 2 && kids[1].type === 'compound_statement')
    return isConnect(kids[0].text) && endsInExit(kids[1].namedChildren.filter((c): c is Node => c !== null));
  return false;
}

function isReasonDispatch(n: Node): boolean {
  if (n.type === 'case_statement') return /\$\{?REASON\b/.test(n.childForFieldName('value')?.text ?? '');
  return n.type === 'if_statement' && reasonComparison(n.childForFieldName('condition')?.text ?? '') !== undefined;
}

/** Runs a command that changes something: not only exit, a log line or a notification. */
function doesWork(n: Node): boolean {
  const names = (n.type === 'command' ? [n] : n.descendantsOfType('command')).map((c) => c?.childForFieldName('name')?.text ?? '');
  return names.some((name) => name !== 'exit' && name !== '' && !incidental.has(path.basename(name)));
}

/** Commands whose failure is incidental to the login: a notification, a log line, a reload. */
const incidental = new Set([
  'logger',
  'echo',
  'printf',
  'notify-send',
  'wall',
  'mail',
  'mailx',
  'sendmail',
  'curl',
  'wget',
  'systemctl',
  'service',
  'kill',
  'pkill',
  'killall',
  'rndc',
  'unbound-control',
  'nscd',
  'tee',
  'sync',
]);

/** How an incidental command fails, for the message: the ordinary reasons, not the rare ones. */
function failureOf(name: string): string {
  if (['mail', 'mailx', 'sendmail'].includes(name)) return 'no mail server, a full queue';
  if (['curl', 'wget'].includes(name)) return 'the web service down or unreachable';
  if (['systemctl', 'service', 'rndc', 'unbound-control', 'nscd'].includes(name)) return 'the service stopped or not installed';
  if (['kill', 'pkill', 'killall'].includes(name)) return 'no such process: pkill exits 1 when nothing matched';
  if (name === 'logger') return 'no system log socket';
  if (['notify-send', 'wall'].includes(name)) return 'no desktop session or terminal to tell';
  return 'a closed or full output';
}

/** The connect path's last command decides the login: flag it when it is incidental. */
function incidentalLast(tree: Tree, all: readonly Branch[], events: readonly string[]): Finding[] {
  const last = lastOnConnect(tree.rootNode, all, events);
  if (!last) return [];
  const cmd = last.type === 'redirected_statement' ? last.namedChildren.find((c) => c?.type === 'command') : last;
  const redirect =
    last.type === 'redirected_statement' && /(^|\s)\d?>>?/.test(last.text.slice((cmd?.endIndex ?? last.startIndex) - last.startIndex));
  if (!cmd || cmd.type !== 'command') return [];
  const name = (cmd.childForFieldName('name')?.text ?? '').split('/').pop() ?? '';
  if (!incidental.has(name) && !redirect) return [];
  const what = redirect ? `writing to ${last.text.slice(cmd.endIndex - last.startIndex).trim()}` : name;
  return [
    finding(
      'HS521',
      last.startIndex,
      last.endIndex,
      `This is the last command of the connect path, so its exit status is the login decision: if ${what} fails ` +
        `(${redirect ? 'a full disk, a read-only file system' : failureOf(name)}), ocserv refuses the user. End the ` +
        `connect path with an explicit exit 0 (or add || true here) once the real checks have passed.`,
    ),
  ];
}

/** The last statement run for connect: the script's last, or the connect branch's last when the script ends with its dispatch. */
function lastOnConnect(root: Node, all: readonly Branch[], events: readonly string[]): Node | undefined {
  let last = lastStatement(root.namedChildren);
  for (let depth = 0; last && depth < 4; depth++) {
    if (last.type !== 'if_statement' && last.type !== 'case_statement') break;
    const outer: Node = last;
    const branch = all.find(
      (b) => b.start >= outer.startIndex && b.end <= outer.endIndex && b.events.includes('connect') && events.includes('connect'),
    );
    if (!branch) return undefined;
    // The then-branch's statements are the if's own children; an else's and a case item's are theirs.
    const holder =
      outer.namedChildren.find(
        (c): c is Node => c !== null && c.startIndex === branch.start && (c.type === 'else_clause' || c.type === 'case_item'),
      ) ?? outer;
    const patternIds = new Set(holder.childrenForFieldName('value').map((v) => v?.id));
    last = lastStatement(
      holder.namedChildren.filter((c) => c !== null && c.startIndex >= branch.start && c.endIndex <= branch.end && !patternIds.has(c.id)),
    );
  }
  if (!last || (last.type !== 'command' && last.type !== 'redirected_statement')) return undefined;
  return commandName(last) === 'exit' ? undefined : last;
}

function commandName(node: Node): string {
  const cmd = node.type === 'redirected_statement' ? node.namedChildren.find((c) => c?.type === 'command') : node;
  return cmd?.childForFieldName('name')?.text ?? '';
}

function lastStatement(nodes: readonly (Node | null)[]): Node | undefined {
  const statements = nodes.filter((c): c is Node => c !== null && c.type !== 'comment');
  return statements[statements.length - 1];
}

/** `[ $? -eq 1 ] && exit 1`: only that status refuses; a crash of the check (127, 126, a signal) admits the user. */
function crashAdmits(tree: Tree, cmds: readonly ShellCommand[], all: readonly Branch[], events: readonly string[]): Finding[] {
  const found: Finding[] = [];
  const status = statusReference(tree);
  const equalsOne = new RegExp(`^(?:${status}\\s*(?:-eq|==?)\\s*${nonZero}|${nonZero}\\s*(?:-eq|==?)\\s*${status})$`);
  // `[ $? -eq 1 ]` and `[[ ... ]]` hold a binary expression; `test $? -eq 1` is a command with the same words.
  const comparisons: Span[] = [
    ...tree.rootNode.descendantsOfType('binary_expression').flatMap((b) => (b ? [b] : [])),
    ...cmds.filter((c) => c.name === 'test'),
  ];
  for (const b of comparisons) {
    const m = equalsOne.exec(b.text.trim().replace(/^test\s+/, ''));
    if (!m || !eventsAt(all, b.startIndex, events).includes('connect')) continue;
    found.push(
      finding(
        'HS522',
        b.startIndex,
        b.endIndex,
        `Only status ${m[1] ?? m[2]} refuses the login here: if the check itself crashes (127 command not found, 126 not ` +
          `executable, 128+n killed by a signal), the script goes on and admits the user. Refuse on any non-zero status: ` +
          `test -ne 0, or run the check as the last command.`,
      ),
    );
  }
  const whole = new RegExp(`^${status}$`);
  for (const c of tree.rootNode.descendantsOfType('case_statement')) {
    const value = c?.childForFieldName('value');
    if (!c || !value || !whole.test(value.text) || !eventsAt(all, c.startIndex, events).includes('connect')) continue;
    const items = c.namedChildren.filter((i): i is Node => i?.type === 'case_item');
    if (items.some((i) => patterns(i).includes('*') && /\bexit\s+[1-9]/.test(i.text))) continue;
    found.push(
      finding(
        'HS522',
        value.startIndex,
        value.endIndex,
        "This case on the check's status refuses the login only for the statuses it lists: a crash of the check (127, 126, 128+n) falls " +
          'through and the user is admitted. Add *) exit 1 ;;.',
      ),
    );
  }
  return found;
}

/** One non-zero status, quoted or not, captured. */
const nonZero = `["']?([1-9]\\d*)["']?`;

/**
 * A reference to the last status as a regex source: `$?`, or a variable the script saved it in (`rc=$?`, then
 * `[ "$rc" = 1 ]`), quoted or not, braced or not.
 */
function statusReference(tree: Tree): string {
  const saved = new Set<string>();
  for (const a of tree.rootNode.descendantsOfType('variable_assignment')) {
    const name = a?.childForFieldName('name')?.text;
    const value = a?.childForFieldName('value')?.text.replace(/^"(.*)"$/, '$1');
    if (name && /^\w+$/.test(name) && value !== undefined && /^\$\{?\?\}?$/.test(value)) saved.add(name);
  }
  return `"?\\$\\{?(?:\\?${[...saved].map((n) => `|${n}`).join('')})\\}?"?`;
}

/** What the connect path adds (rules, set entries, routes) that neither this script's disconnect path nor the disconnect script removes. */
function neverRemoved(file: HookFile, cmds: readonly ShellCommand[], all: readonly Branch[], roles: ScriptRoles): Finding[] {
  // A route through the session's device ($DEVICE) goes with it: ocserv removes the device when the session ends.
  const added = changesMade(cmds, netChangeKinds).filter(
    (c) => !goesWithTunnel(c) && eventsAt(all, c.command.startIndex, roles.events).includes('connect'),
  );
  if (!added.length) return [];
  const other = disconnectScript(file, roles);
  if (other === 'unknown') return [];
  const undone = changesUndone(cmds);
  if (other) {
    const more = undoneIn(other.text);
    if (!more) return [];
    for (const k of more) undone.add(k);
  }
  const where = other
    ? `this script's disconnect path nor ${path.basename(other.file)}`
    : roles.events.includes('disconnect')
      ? "this script's disconnect path"
      : 'any disconnect script (none is wired)';
  return added
    .filter((c) => !isUndone(c, undone))
    .map((c) =>
      finding(
        'HS526',
        c.command.startIndex,
        c.command.endIndex,
        `connect adds this ${c.what}, but neither ${where} removes it: every session leaves it behind${again(c)}. ` +
          `Remove it on disconnect with: ${c.undo}`,
      ),
    );
}

/**
 * What the leftover does to the next login: rules pile up, while a route, an address or an ipset entry that is still
 * there makes the same add fail (File exists, already added), and connect's status is the login decision.
 */
function again(c: Change): string {
  if (c.kind === 'iptables' || c.kind === 'rule' || (c.kind === 'nft' && c.what.startsWith('nft rule')))
    return ' (and a user who logs in again gets a second one)';
  if (c.kind === 'ipset' || c.kind === 'route' || c.kind === 'route-macos' || c.kind === 'address')
    return ' (and when a later session gets the same address, adding it again fails: it is still there)';
  return '';
}

/**
 * The disconnect script when it is another file: from the config, else a sibling named *disconnect*; 'unknown' when wired but not in the
 * workspace.
 */
function disconnectScript(file: HookFile, roles: ScriptRoles): { file: string; text: string } | undefined | 'unknown' {
  if (roles.events.includes('disconnect')) return undefined;
  if (roles.facts) {
    const other = roles.facts.scripts['disconnect-script'];
    if (!other) return undefined;
    if (path.resolve(other) === path.resolve(file.path)) return undefined;
    const text = readText(other);
    return text === undefined ? 'unknown' : { file: other, text };
  }
  const sibling = file.siblings.find((s) => /dis-?connect/i.test(s) && s !== path.basename(file.path));
  const text = sibling ? file.readSibling(sibling) : undefined;
  return sibling && text !== undefined ? { file: path.join(path.dirname(file.path), sibling), text } : undefined;
}

/**
 * The disconnect script's undos, by its text: every lint of the connect script reads them, and parsing the other
 * script each time cost more than the connect script's own checks (the bench row's example).
 */
const undoneByText = new Map<string, ReadonlySet<string>>();
const maxUndoneCached = 32;
const maxUndoneTextLength = 64 * 1024;

function undoneIn(text: string): ReadonlySet<string> | undefined {
  if (undoneByText.has(text)) return undoneByText.get(text);
  let undone: ReadonlySet<string>;
  try {
    undone = withShellTree(text, (tree) => changesUndone(commands(tree)), parseBudget(text));
  } catch (e) {
    if (isParseFailure(e)) return undefined; // not kept: a parse cut short under load may succeed next time
    throw e;
  }
  if (text.length > maxUndoneTextLength) return undone;
  if (undoneByText.size >= maxUndoneCached) undoneByText.delete(undoneByText.keys().next().value as string);
  undoneByText.set(text, undone);
  return undone;
}

/** ocserv-fw runs the script as /bin/sh script: a bash #! line is ignored. */
export function underOcservFw(file: HookFile, roles: ScriptRoles): Finding[] {
  if (!roles.fw) return [];
  const line = shebang(file.text);
  const shell = line === undefined ? undefined : interpreter(line);
  if (shell === 'sh' || shell === 'dash') return [];
  return [
    onFirstLine(
      file,
      'HS527',
      `ocserv.conf restricts users (restrict-user-to-routes / -ports), so ocserv-fw runs this script as /bin/sh ` +
        `${path.basename(file.path)}: ${shell ? `its #!${line} line is ignored, and ` : ''}bash-only syntax fails under ` +
        `sh. Hooksmith's ShellCheck reads it as sh.`,
    ),
  ];
}
