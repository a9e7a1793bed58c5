import { Node, Tree } from '../../shell/parser';
import { ocservEvents } from './hooks';

/** A part of a script that runs only for some REASONs: a branch of an if or a case on $REASON. */
export interface Branch {
  readonly start: number;
  readonly end: number;
  readonly events: readonly string[];
}

/** An if on $REASON: what its condition compares, and its parts. */
export interface ReasonIf {
  readonly node: Node;
  readonly value: string;
  readonly negated: boolean;
  readonly hasElif: boolean;
  readonly elseClause: Node | undefined;
}

// The value before the operator starts a word (the lookbehind): without it every position inside a long word starts a match that
// scans to the word's end, quadratic in the word's length (a 30 KB word took a second).
const reasonTest = /\$\{?REASON\}?"?\s*(!?==?)\s*["']?([\w-]+)|["']?(?<![\w-])([\w-]+)["']?\s*(!?==?)\s*"?\$\{?REASON\b/;

/** `[ "$REASON" = connect ]`, `[[ $REASON != disconnect ]]`: the value and whether the test is negated. */
export function reasonComparison(condition: string): { value: string; negated: boolean } | undefined {
  const m = reasonTest.exec(condition);
  if (!m) return undefined;
  const op = m[1] ?? m[4];
  return { value: m[2] ?? m[3], negated: op.startsWith('!') };
}

export function reasonIfs(tree: Tree): ReasonIf[] {
  return tree.rootNode.descendantsOfType('if_statement').flatMap((node) => {
    const condition = node?.childForFieldName('condition');
    const test = condition && reasonComparison(condition.text);
    if (!node || !test) return [];
    const kids = node.namedChildren.filter((c): c is Node => c !== null);
    return [{ node, ...test, hasElif: kids.some((c) => c.type === 'elif_clause'), elseClause: kids.find((c) => c.type === 'else_clause') }];
  });
}

export function reasonCases(tree: Tree): Node[] {
  return tree.rootNode
    .descendantsOfType('case_statement')
    .filter((c): c is Node => c !== null && /\$\{?REASON\b/.test(c.childForFieldName('value')?.text ?? ''));
}

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/s, '$2');

/** The case item's patterns, unquoted. */
export function patterns(item: Node): string[] {
  return item.childrenForFieldName('value').flatMap((v) => (v ? [unquote(v.text)] : []));
}

/** The events a pattern matches (a glob such as *connect or *). */
function matching(pattern: string): string[] {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return ocservEvents.filter((e) => re.test(e));
}

/** The branches of the script's dispatch on $REASON, innermost last. */
export function branches(tree: Tree): Branch[] {
  const out: Branch[] = [];
  for (const r of reasonIfs(tree)) {
    const kids = r.node.children.filter((c): c is Node => c !== null);
    const then = kids.find((c) => c.type === 'then');
    const stop = kids.find((c) => c.type === 'elif_clause' || c.type === 'else_clause' || c.type === 'fi');
    const others = ocservEvents.filter((e) => e !== r.value);
    const thenEvents = r.negated ? others : [r.value];
    if (then && stop) out.push({ start: then.endIndex, end: stop.startIndex, events: thenEvents });
    if (r.elseClause && !r.hasElif)
      out.push({ start: r.elseClause.startIndex, end: r.elseClause.endIndex, events: r.negated ? [r.value] : others });
  }
  for (const c of reasonCases(tree)) {
    const items = c.descendantsOfType('case_item').filter((i): i is Node => i !== null && i.parent?.id === c.id);
    const taken = new Set<string>();
    for (const item of items) {
      const events = patterns(item)
        .flatMap(matching)
        .filter((e) => !taken.has(e));
      for (const e of events) taken.add(e);
      out.push({ start: item.startIndex, end: item.endIndex, events });
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The events for which the code at `offset` runs: the innermost branch's, else the script's own. */
export function eventsAt(all: readonly Branch[], offset: number, scriptEvents: readonly string[]): readonly string[] {
  let events = scriptEvents;
  for (const b of all) if (b.start <= offset && offset < b.end) events = b.events.filter((e) => scriptEvents.includes(e));
  return events;
}
