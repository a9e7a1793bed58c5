import * as path from 'node:path';
import { append } from '../../append';
import { Finding, finding, withFix } from '../../diagnostics';
import { Node, sourceOf, Tree } from '../../shell/parser';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { casePatternMatches as globMatches } from '../../shell/casePattern';
import { assignedNames, commands, ShellCommand, VariableUse, variableUses } from '../../shell/walk';
import { listFolder } from '../../fileKinds';
import { editDistance } from '../../text/nearest';
import { Change, changesMade, changesUndone, goesWithTunnel, iptablesRule, isUndone, netChangeKinds } from '../common/changes';
import { exitFindings } from '../common/exits';
import { keysOfScripts } from '../common/scriptsAround';
import { shebangAsComment } from '../common/fileChecks';
import { HookFile, HookSpec } from '../family';
import { hookFolderReasons, Reason, reasons, stockFunctions, vpncEnv } from './hooks';

const attemptReconnectConsequence =
  ': on attempt-reconnect the route to the gateway is not restored, so a reconnect over a changed network can fail';

/** Content rules: the script's dispatch and its changes; for a hook-folder file, what being sourced means. */
export function contentFindings(file: HookFile, hook: HookSpec): Finding[] {
  return withinParseBudget(file.text, (tree) => {
    const found = shellSyntaxFindings(tree);
    append(found, variableFindings(tree), splitLoopsFromOne(tree));
    if (hook.runModel === 'sourced') {
      append(found, shebangLine(file), exits(commands(tree)), redefinitions(tree));
      append(found, folderChanges(file, hook, tree));
    } else {
      const cases = dispatches(tree);
      append(found, dispatchCoverage(cases), scriptChanges(tree, cases));
    }
    return found;
  });
}

// ── the dispatch on $reason ──

/** `case "$reason" in ...`, or an if / elif chain testing $reason: its branches, each with the reasons it matches. */
interface Dispatch {
  readonly node: Node;
  /** Its first keyword, where a finding goes: case, or if. */
  readonly keyword: 'case' | 'if';
  /** Its last statement (the last if of a run): what follows it is what runs for a reason no branch takes. */
  readonly last: Node;
  readonly branches: readonly { readonly node: Node; readonly reasons: readonly Reason[]; readonly fallback: boolean }[];
  /** A pattern the analysis cannot read ($x): coverage unknown. */
  readonly computed: boolean;
}

function dispatches(tree: Tree): Dispatch[] {
  const source = sourceOf(tree);
  if (!/\$\{?reason\b/.test(source)) return [];
  return [...caseDispatches(tree, source), ...ifDispatches(tree, source)].sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function caseDispatches(tree: Tree, source: string): Dispatch[] {
  return tree.rootNode.descendantsOfType('case_statement').flatMap((stmt) => {
    const value = stmt?.childForFieldName('value');
    if (!stmt || !value || !/^"?\$\{?reason\}?"?$/.test(source.slice(value.startIndex, value.endIndex))) return [];
    let computed = false;
    const branches = stmt.namedChildren
      .filter((c): c is Node => c?.type === 'case_item')
      .map((item) => {
        const patterns = item.childrenForFieldName('value').map((p) => (p ? unquote(source.slice(p.startIndex, p.endIndex)) : ''));
        if (patterns.some((p) => /[$`]/.test(p))) computed = true;
        const matched = reasons.filter((r) => patterns.some((p) => globMatches(p, r)));
        return { node: item, reasons: matched, fallback: patterns.includes('*') };
      });
    return [{ node: stmt, keyword: 'case' as const, branches, computed, last: stmt }];
  });
}

/**
 * `if [ "$reason" = connect ]; then ... elif test "$reason" = disconnect; ... else ...; fi`, and a
 * run of such ifs one after another (each testing one reason): one dispatch, whose branches are
 * every if and elif. Only an if that tests $reason first counts; a condition the analysis cannot
 * read (`[ -n "$X" ]` in the chain, `!=`, `&&`) makes the coverage unknown. The else of a lone if
 * chain is its fallback; in a run of ifs an else would run for the reasons the other ifs handle, so
 * the run's coverage is then unknown too.
 */
function ifDispatches(tree: Tree, source: string): Dispatch[] {
  const counted = new Set<number>();
  return tree.rootNode.descendantsOfType('if_statement').flatMap((first) => {
    if (!first || counted.has(first.startIndex) || reasonsTested(first, source) === undefined) return [];
    const run: Node[] = [first];
    for (let n = nextStatement(first); n?.type === 'if_statement' && reasonsTested(n, source) !== undefined; n = nextStatement(n))
      run.push(n);
    run.forEach((n) => counted.add(n.startIndex));
    const clauses = run.flatMap((stmt) => [stmt, ...stmt.namedChildren.filter((c): c is Node => c?.type === 'elif_clause')]);
    const tested = clauses.map((c) => reasonsTested(c, source));
    const elses = run.flatMap((stmt) => stmt.namedChildren.filter((c): c is Node => c?.type === 'else_clause'));
    const branches = clauses.map((c, i) => ({ node: c, reasons: tested[i] ?? [], fallback: false }));
    if (run.length === 1 && elses.length) branches.push({ node: elses[0], reasons: [], fallback: true });
    const computed = tested.some((t) => t === undefined) || (run.length > 1 && elses.length > 0);
    return [{ node: first, keyword: 'if' as const, branches, computed, last: run[run.length - 1] }];
  });
}

/** The reasons an if or elif clause's condition tests $reason against (each part of an || list); undefined when it tests anything else. */
function reasonsTested(clause: Node, source: string): Reason[] | undefined {
  const parts = conditionOf(clause).flatMap((n) => (n.type === 'list' ? n.namedChildren.filter((c): c is Node => c !== null) : [n]));
  if (!parts.length || (parts.length > 1 && !orList(conditionOf(clause)))) return undefined;
  const tested: Reason[] = [];
  for (const part of parts) {
    const compared = comparison(part, source);
    if (!compared) return undefined;
    for (const r of reasons) if (compared(r) && !tested.includes(r)) tested.push(r);
  }
  return tested;
}

/** The condition's nodes: between the if / elif keyword and then. */
function conditionOf(clause: Node): Node[] {
  const out: Node[] = [];
  for (let i = 1; i < clause.childCount; i++) {
    const c = clause.child(i);
    if (!c || c.type === 'then') break;
    if (c.isNamed && c.type !== 'comment') out.push(c);
  }
  return out;
}

/** A condition that is one || list (`[ "$reason" = a ] || [ "$reason" = b ]`), not && or a pipeline. */
function orList(condition: readonly Node[]): boolean {
  if (condition.length !== 1 || condition[0].type !== 'list') return false;
  const list = condition[0];
  for (let i = 0; i < list.childCount; i++) {
    const c = list.child(i);
    if (c && !c.isNamed && c.type !== '||') return false;
  }
  return list.namedChildren.every((c) => c?.type !== 'list');
}

const reasonWord = /^"?\$\{?reason\}?"?$/;

/** `[ "$reason" = connect ]`, `test "$reason" = connect`, `[[ $reason == *connect ]]` (either side): which reasons match. */
function comparison(node: Node, source: string): ((r: Reason) => boolean) | undefined {
  const text = (n: Node): string => source.slice(n.startIndex, n.endIndex);
  if (node.type === 'test_command') {
    const expr = node.namedChildren.length === 1 ? node.namedChildren[0] : null;
    return expr ? testExpression(expr, text(node).startsWith('[['), text) : undefined;
  }
  if (node.type !== 'command') return undefined;
  const words = [node.childForFieldName('name'), ...node.childrenForFieldName('argument')].map((w) => (w ? text(w) : ''));
  const args = words[0] === 'test' ? words.slice(1) : words[0] === '[' && words[words.length - 1] === ']' ? words.slice(1, -1) : undefined;
  return args?.length === 3 ? equality(args[0], args[1], args[2], false) : undefined;
}

/** Nesting deeper than this in one [[ ]] is not read (coverage unknown): no input can take the stack. */
const maxTestDepth = 32;

/** Inside [ ] or [[ ]]: `$reason = word`, or (in [[ ]]) `a || b` of such. */
function testExpression(expr: Node, doubleBracket: boolean, text: (n: Node) => string, depth = 0): ((r: Reason) => boolean) | undefined {
  if (depth > maxTestDepth) return undefined;
  if (expr.type === 'parenthesized_expression' && expr.namedChildren.length === 1 && expr.namedChildren[0])
    return testExpression(expr.namedChildren[0], doubleBracket, text, depth + 1);
  if (expr.type !== 'binary_expression') return undefined;
  const l = expr.childForFieldName('left');
  const o = expr.childForFieldName('operator');
  const r = expr.childForFieldName('right');
  if (!l || !o || !r) return undefined;
  if (o.type === '||' && doubleBracket) {
    const a = testExpression(l, doubleBracket, text, depth + 1);
    const b = a && testExpression(r, doubleBracket, text, depth + 1);
    return a && b ? (reason) => a(reason) || b(reason) : undefined;
  }
  return equality(text(l), text(o), text(r), doubleBracket && !/^["']/.test(text(r)));
}

/** `$reason = word` either way round: which reasons it holds for (a glob in [[ ]] when unquoted). */
function equality(a: string, op: string, b: string, pattern: boolean): ((r: Reason) => boolean) | undefined {
  let [left, right] = [a, b];
  if (op !== '=' && op !== '==') return undefined;
  if (!reasonWord.test(left)) [left, right] = [right, left];
  if (!reasonWord.test(left) || /[$`]/.test(right)) return undefined;
  const word = unquote(right);
  return pattern ? (r) => globMatches(word, r) : (r) => r === word;
}

/** Every reason openconnect sends needs a branch; a *) that fails turns a missing one into an error, and reconnects break. */
function dispatchCoverage(cases: readonly Dispatch[]): Finding[] {
  return cases.flatMap((d) => {
    if (d.computed) return [];
    const covered = new Set(d.branches.filter((b) => !b.fallback).flatMap((b) => b.reasons));
    const missing = reasons.filter((r) => !covered.has(r));
    if (!missing.length) return [];
    const fallback = d.branches.find((b) => b.fallback);
    if (fallback && !fails(fallback.node)) return [];
    // A wrapper's case edits the variables for some reasons and falls through to what follows (exec the stock script).
    if (!fallback && nextStatement(d.last)) return [];
    const words = dispatchWords[d.keyword];
    const them = missing.length > 1 ? 'them' : 'it';
    const consequence = fallback
      ? `its ${words.fallback} exits with an error for ${them}, so openconnect logs "Script ... returned error"` +
        `${missing.some((r) => r.includes('reconnect')) ? ' and reconnects break (openwrt/packages#10004)' : ''}`
      : `nothing follows the ${words.what}, so the script does nothing for ${them}` +
        `${missing.includes('attempt-reconnect') ? attemptReconnectConsequence : ''}`;
    return [
      finding(
        'HS550',
        d.node.startIndex,
        d.node.startIndex + d.keyword.length,
        `This ${words.what} on $reason has no branch for ${missing.join(', ')}: ${consequence}. Add ${words.add(missing)} ` +
          `or ${words.fallback === '*)' ? 'a *)' : 'an else'} that succeeds.`,
      ),
    ];
  });
}

const dispatchWords = {
  case: { what: 'case', fallback: '*)', add: (m: readonly Reason[]) => `${m.map((r) => `${r})`).join(' ')} branches (an empty one is ;;)` },
  if: {
    what: 'if chain',
    fallback: 'else',
    add: (m: readonly Reason[]) => `a branch for ${m.length > 1 ? 'each' : 'it'} (elif [ "$reason" = ${m[0]} ]; then :)`,
  },
} as const;

/** The statement after `node` in its list, comments aside. */
function nextStatement(node: Node): Node | undefined {
  for (let n = node.nextNamedSibling; n; n = n.nextNamedSibling) if (n.type !== 'comment') return n;
  return undefined;
}

/** A branch whose own commands include `exit N` with N not 0. */
function fails(item: Node): boolean {
  return item.descendantsOfType('command').some((c) => {
    const words = c?.text.trim().split(/\s+/) ?? [];
    return words[0] === 'exit' && words[1] !== undefined && words[1] !== '0';
  });
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, '$2');
}

// ── variables ──

/** One walk for the uses (a node per $NAME is the costly part), the assignments only when a use is suspect. */
function variableFindings(tree: Tree): Finding[] {
  if (!sourceOf(tree).includes('$')) return [];
  const uses = variableUses(tree);
  let assigned: Set<string> | undefined;
  const own = (): Set<string> => (assigned ??= assignedNames(tree));
  return [...upperCaseReason(uses, own), ...nearMissVariables(uses, own)];
}

function upperCaseReason(all: readonly VariableUse[], own: () => Set<string>): Finding[] {
  const uses = all.filter((u) => u.name === 'REASON');
  if (!uses.length || own().has('REASON')) return [];
  return uses.map((u) =>
    withFix(
      finding(
        'HS551',
        u.node.startIndex,
        u.node.endIndex,
        "$REASON is ocserv's variable (the server side); openconnect sets lower-case $reason, so $REASON is empty here. Use $reason.",
      ),
      { kind: 'replace', with: 'reason' },
    ),
  );
}

const known = new Set(vpncEnv.map((v) => v.name));
/** The indexed names as templates: CISCO_SPLIT_INC_<n>_ADDR. */
const template = (name: string): string => name.replace(/_\d+_/, '_<n>_');
const knownTemplates = [...new Set(vpncEnv.map((v) => template(v.name)))];
const vpncPrefix = /^(INTERNAL_IP[46]_|CISCO_|VPN|TUN)/;

/** Names near openconnect's (INTERNAL_IP4_ADRESS, CISCO_SPLIT_INC_0_MASK_LEN): never set, so empty. */
function nearMissVariables(uses: readonly VariableUse[], own: () => Set<string>): Finding[] {
  const suspects = uses.filter(
    (u) =>
      !known.has(u.name) && !knownTemplates.includes(template(u.name)) && vpncPrefix.test(u.name) && !/^(VPNC_|CISCO_VPN_)/.test(u.name),
  );
  if (!suspects.length) return [];
  return suspects.flatMap((u) => {
    if (own().has(u.name)) return [];
    // IPv6 entries have a prefix length only: `_MASK` is an IPv4 habit, three edits from _MASKLEN.
    if (/^CISCO_IPV6_SPLIT_(INC|EXC)_\d+_MASK$/.test(u.name)) {
      const real = `${u.name}LEN`;
      const why = `$${u.name} is never set by openconnect, so it is empty here: an IPv6 split entry has no dotted netmask, only ${real}.`;
      return [withFix(finding('HS555', u.node.startIndex, u.node.endIndex, why), { kind: 'replace', with: real })];
    }
    const guess = closestTemplate(template(u.name));
    if (!guess) return [];
    const index = /_(\d+)_/.exec(u.name)?.[1] ?? '0';
    const real = guess.replace('<n>', index);
    const f = finding(
      'HS555',
      u.node.startIndex,
      u.node.endIndex,
      `$${u.name} is never set by openconnect, so it is empty here: did you mean ${real}?`,
    );
    return [withFix(f, { kind: 'replace', with: real })];
  });
}

/** The known name nearest to `t`, at most two edits away (INTERNAL_IP6_ADRESS is IP6's, not the first one listed). */
function closestTemplate(t: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of knownTemplates) {
    const d = editDistance(t, k, bestDistance - 1);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

// ── split-include loops ──

const splitCount = /\b(CISCO_SPLIT_(INC|EXC)|CISCO_IPV6_SPLIT_(INC|EXC))\b(?!_)/;

/** A loop over the split entries that starts at 1: the entries are numbered from 0. */
function splitLoopsFromOne(tree: Tree): Finding[] {
  const source = sourceOf(tree);
  if (!/CISCO_(IPV6_)?SPLIT_/.test(source)) return [];
  const found: Finding[] = [];
  const report = (at: Node, count: string): void => {
    found.push(
      finding(
        'HS556',
        at.startIndex,
        at.endIndex,
        `Split entries are numbered from 0 (${count}_0_ADDR to ${count}_$((${count} - 1))_ADDR): a loop starting at 1 ` +
          `skips the first network and reads an entry that does not exist. Start at 0 and stop before $${count}.`,
      ),
    );
  };
  let assignments: Node[] | undefined;
  for (const loop of tree.rootNode.descendantsOfType(['for_statement', 'c_style_for_statement', 'while_statement'])) {
    if (!loop) continue;
    const head = loopHead(loop);
    const count = head && splitCount.exec(source.slice(head.startIndex, head.endIndex))?.[1];
    if (!head || !count) continue;
    assignments ??= tree.rootNode.descendantsOfType('variable_assignment').filter((a): a is Node => a !== null);
    const one = loop.type === 'while_statement' ? startBeforeWhile(loop, head, source, assignments) : startOfFor(loop, source);
    if (one) report(one, count);
  }
  return found;
}

/** The part of a loop that bounds it: a while's condition, a for's value list, a C-style for's header. */
function loopHead(loop: Node): Node | undefined {
  if (loop.type === 'while_statement') return loop.childForFieldName('condition') ?? undefined;
  if (loop.type === 'for_statement') return loop.childrenForFieldName('value')[0] ?? undefined;
  return loop.childForFieldName('condition') ?? undefined;
}

/** `for i in $(seq 1 $N)`: the 1; `for ((i = 1; ...))`: the 1. */
function startOfFor(loop: Node, source: string): Node | undefined {
  if (loop.type === 'c_style_for_statement') {
    const init = loop.childForFieldName('initializer');
    const value = init?.type === 'variable_assignment' ? init.childForFieldName('value') : init?.descendantsOfType('number')[0];
    return value && source.slice(value.startIndex, value.endIndex) === '1' ? value : undefined;
  }
  const seq = loop.descendantsOfType('command').find((c) => c?.childForFieldName('name')?.text === 'seq');
  const first = seq?.childrenForFieldName('argument')[0];
  return first && first.text === '1' ? first : undefined;
}

/** `i=1` before `while [ $i -le $CISCO_SPLIT_INC ]`: the 1 of the last assignment to the loop's variable before it. */
function startBeforeWhile(loop: Node, condition: Node, source: string, assignments: readonly Node[]): Node | undefined {
  // `$i -le`, `"$i" -lt`, `"${i}" -ne`: quoted as ShellCheck asks, or not.
  const variable = /\$\{?(\w+)\}?"?\s+-(le|lt|ne)\b/.exec(source.slice(condition.startIndex, condition.endIndex))?.[1];
  if (!variable || /^CISCO_/.test(variable)) return undefined;
  let start: Node | undefined;
  for (const a of assignments) {
    if (a.startIndex >= loop.startIndex) break;
    if (a.childForFieldName('name')?.text !== variable) continue;
    const value = a.childForFieldName('value');
    start = value && source.slice(value.startIndex, value.endIndex) === '1' ? value : undefined;
  }
  return start;
}

// ── sourced hook files ──

const shebangLine = (file: HookFile): Finding[] =>
  shebangAsComment(
    file,
    'HS553',
    'The stock vpnc-script sources this file with ".": this #! line is only a comment, and the code runs in the ' +
      "vpnc-script's own /bin/sh.",
  );

const exits = (cmds: readonly ShellCommand[]): Finding[] =>
  exitFindings(
    cmds,
    'HS552',
    (fn) =>
      `${fn ? `exit in ${fn}(), which this file calls,` : 'exit here'} ends the whole vpnc-script, not just this ` +
      `hook: the files after it and the script's own work for this reason never run. Use return.`,
  );

function redefinitions(tree: Tree): Finding[] {
  return tree.rootNode.descendantsOfType('function_definition').flatMap((fn) => {
    const name = fn?.childForFieldName('name');
    if (!name || !stockFunctions.has(name.text)) return [];
    return [
      finding(
        'HS554',
        name.startIndex,
        name.endIndex,
        `${name.text} is one of the stock vpnc-script's own functions: defining it here replaces it for the rest of the ` +
          `run. That works, until an upstream release renames or splits it; then this file silently stops taking effect.`,
      ),
    ];
  });
}

// ── what connect adds and disconnect removes ──

/** Branches and functions that tear down, where an add is a mistake. */
const teardownName = /(^|_)(disconnect|down|teardown|cleanup|remove|del|delete|stop|unset)(_|$)/i;

/** In the script: the connect branch's changes against the disconnect branch's undos, and adds in a teardown. */
function scriptChanges(tree: Tree, cases: readonly Dispatch[]): Finding[] {
  const cmds = commands(tree);
  const functions = functionBodies(tree);
  const found: Finding[] = [];
  const teardown = new Set<ShellCommand>();
  for (const d of cases) {
    const of = (r: Reason): ShellCommand[] =>
      d.branches.filter((b) => !b.fallback && b.reasons.includes(r)).flatMap((b) => reachable(b.node, cmds, functions));
    const up = of('connect');
    const down = of('disconnect');
    down.forEach((c) => teardown.add(c));
    if (d.branches.some((b) => !b.fallback && b.reasons.includes('disconnect'))) {
      const undone = changesUndone(down);
      append(
        found,
        changesMade(up, netChangeKinds)
          .filter((c) => !isUndone(c, undone) && !goesWithTunnel(c))
          .map((c) => neverUndone(c, 'the disconnect branch of this script does not undo it')),
      );
    }
  }
  for (const [name, body] of functions) if (teardownName.test(name)) within(body, cmds).forEach((c) => teardown.add(c));
  append(found, addsInTeardown([...teardown], 'on disconnect'));
  return found;
}

/** In connect.d / post-connect.d: changes that no file of disconnect.d / post-disconnect.d undoes; in those, adds. */
function folderChanges(file: HookFile, hook: HookSpec, tree: Tree): Finding[] {
  const reason = hookFolderReasons[hook.name.replace(/\.d$/, '')];
  const cmds = commands(tree);
  if (reason === 'disconnect') return addsInTeardown(cmds, `in ${hook.name}`);
  if (reason !== 'connect') return [];
  const made = changesMade(cmds, netChangeKinds).filter((c) => !goesWithTunnel(c));
  if (!made.length) return [];
  const undone = undoneInFolders(path.dirname(path.dirname(path.resolve(file.path))));
  if (undone === undefined) return [];
  return made.filter((c) => !isUndone(c, undone)).map((c) => neverUndone(c, 'no file in disconnect.d or post-disconnect.d undoes it'));
}

function neverUndone(change: Change, why: string): Finding {
  return finding(
    'HS557',
    change.command.startIndex,
    change.command.endIndex,
    `This ${change.what} is added on connect, but ${why}: each connect leaves one more behind. Add "${change.undo}" for disconnect.`,
  );
}

/** iptables -A / -I and ip route add where things are taken down: each disconnect adds one more. */
function addsInTeardown(cmds: readonly ShellCommand[], where: string): Finding[] {
  return cmds.flatMap((c) => {
    const name = c.name.split('/').pop() ?? c.name;
    const rule = iptablesRule(name, c.args);
    if (rule && (rule.verb === 'append' || rule.verb === 'insert')) {
      const at = c.argSpans[rule.verbAt];
      const f = finding(
        'HS558',
        at.startIndex,
        at.endIndex,
        `${name} ${at.text} adds a rule ${where}, where it should remove one: each disconnect leaves one more. Use -D with the same rule.`,
      );
      return [rule.verb === 'append' ? withFix(f, { kind: 'replace', with: '-D' }) : f];
    }
    const verb = name === 'ip' ? ipRouteAdd(c) : -1;
    if (verb < 0) return [];
    const at = c.argSpans[verb];
    return [
      withFix(
        finding('HS558', at.startIndex, at.endIndex, `ip route ${at.text} adds a route ${where}, where it should remove one. Use del.`),
        { kind: 'replace', with: 'del' },
      ),
    ];
  });
}

/** The index of `add` in `ip [-4|-6] route add ...`, or -1. */
function ipRouteAdd(c: ShellCommand): number {
  const words = c.args.map((a, i) => ({ a, i })).filter(({ a }) => !a.startsWith('-'));
  return /^r(o(ute?)?)?$/.test(words[0]?.a ?? '') && words[1]?.a === 'add' ? words[1].i : -1;
}

/** The script's functions by name. */
function functionBodies(tree: Tree): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const fn of tree.rootNode.descendantsOfType('function_definition')) {
    const name = fn?.childForFieldName('name')?.text;
    if (fn && name) map.set(name, fn);
  }
  return map;
}

/** The commands inside `node`. */
function within(node: Node, cmds: readonly ShellCommand[]): ShellCommand[] {
  return cmds.filter((c) => c.startIndex >= node.startIndex && c.endIndex <= node.endIndex);
}

/** The commands of `node` and of the script's functions it calls, through any depth (do_connect, set_network_route ...). */
function reachable(node: Node, cmds: readonly ShellCommand[], functions: ReadonlyMap<string, Node>): ShellCommand[] {
  const seen = new Set<string>();
  const out: ShellCommand[] = [];
  const visit = (n: Node): void => {
    for (const c of within(n, cmds)) {
      out.push(c);
      const fn = functions.get(c.name);
      if (fn && !seen.has(c.name)) {
        seen.add(c.name);
        visit(fn);
      }
    }
  };
  visit(node);
  return out;
}

const maxFolderFiles = 64;

/** What the disconnect hook folders beside this one undo; undefined when one of them could not be parsed (it may undo anything). */
function undoneInFolders(vpncDir: string): Set<string> | undefined {
  const files = ['disconnect.d', 'post-disconnect.d'].flatMap((folder) =>
    listFolder(path.join(vpncDir, folder))
      .filter((n) => !n.startsWith('.'))
      .sort()
      .slice(0, maxFolderFiles)
      .map((name) => path.join(vpncDir, folder, name)),
  );
  return keysOfScripts(files, (t) => changesUndone(commands(t)));
}
