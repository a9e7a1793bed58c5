import type { TreeCursor } from 'web-tree-sitter';
import { sourceOf, type Node, type Tree } from './parser';

/** A piece of the script: offsets (UTF-16) and its text. */
export interface Span {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
}

export interface ShellCommand extends Span {
  /** The command word as written (`iptables`, `/sbin/ip`), quotes removed. */
  readonly name: string;
  readonly nameSpan: Span;
  /** Arguments with shell quotes removed where that is exact (plain words and quoted strings without expansions). */
  readonly args: readonly string[];
  readonly argSpans: readonly Span[];
  /** Runs in the hook's own shell: not in a function, subshell, pipeline part or command substitution. */
  readonly topLevel: boolean;
  /** The syntax node, looked up on demand (only while the tree is alive). */
  node(): Node;
}

const nested = new Set(['function_definition', 'subshell', 'command_substitution', 'process_substitution', 'pipeline']);
const byTree = new WeakMap<Tree, ShellCommand[]>();

/** Every simple command, in order; computed once per tree (the rules of a hook share it). */
export function commands(tree: Tree): ShellCommand[] {
  let found = byTree.get(tree);
  if (!found) byTree.set(tree, (found = collectCommands(tree)));
  return found;
}

/**
 * One cursor walk that reads offsets and field names only and slices the text in JavaScript:
 * creating a Node object per command costs more than the parse itself on a 5,000-line hook.
 */
function collectCommands(tree: Tree): ShellCommand[] {
  const source = sourceOf(tree);
  const found: ShellCommand[] = [];
  const cursor = tree.walk();
  const nestedAbove: boolean[] = [];
  let depthNested = 0;
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (type === 'command') {
        const command = readCommand(cursor, tree, source, depthNested === 0);
        if (command) found.push(command);
      }
      const isNested = nested.has(type);
      if (cursor.gotoFirstChild()) {
        nestedAbove.push(isNested);
        if (isNested) depthNested++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return found;
        if (nestedAbove.pop()) depthNested--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Reads a command's name and arguments from its children; the cursor is back on the command after. */
function readCommand(cursor: TreeCursor, tree: Tree, source: string, topLevel: boolean): ShellCommand | undefined {
  const startIndex = cursor.startIndex;
  const endIndex = cursor.endIndex;
  let nameSpan: Span | undefined;
  const argSpans: Span[] = [];
  const argTypes: string[] = [];
  if (cursor.gotoFirstChild()) {
    do {
      const field = cursor.currentFieldName;
      const span = { startIndex: cursor.startIndex, endIndex: cursor.endIndex, text: source.slice(cursor.startIndex, cursor.endIndex) };
      if (field === 'name') nameSpan = span;
      else if (field === 'argument') {
        argSpans.push(span);
        argTypes.push(cursor.nodeType);
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  if (!nameSpan) return undefined;
  return {
    startIndex,
    endIndex,
    text: source.slice(startIndex, endIndex),
    name: unquoted(nameSpan.text),
    nameSpan,
    args: argSpans.map((s, i) => (argTypes[i] === 'string' || argTypes[i] === 'raw_string' ? unquoted(s.text) : s.text)),
    argSpans,
    topLevel,
    node: () => tree.rootNode.descendantForIndex(startIndex, endIndex) as Node,
  };
}

/** 'x' and "x" without expansions stand for x; anything else is left as written. */
function unquoted(text: string): string {
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  if (/^"[^"$`\\]*"$/.test(text)) return text.slice(1, -1);
  return text;
}

export interface VariableUse {
  readonly name: string;
  readonly node: Node;
}

/** `${!prefix*}` and `${!prefix@}` list the names that start with prefix: they read no variable called prefix. */
const nameListing = /^\$\{!\w+[*@]\}$/;

/** Every `$NAME` and `${NAME...}` in the script. */
export function variableUses(tree: Tree): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const exp of tree.rootNode.descendantsOfType(['simple_expansion', 'expansion'])) {
    if (!exp || (exp.type === 'expansion' && nameListing.test(exp.text))) continue;
    const name = exp.namedChildren.find((c) => c?.type === 'variable_name');
    if (name) uses.push({ name: name.text, node: name });
  }
  return uses;
}

/** Names the script assigns itself (NAME=value, export NAME=..., read NAME, for NAME in). */
export function assignedNames(tree: Tree): Set<string> {
  const names = new Set<string>();
  for (const node of tree.rootNode.descendantsOfType(['variable_assignment', 'for_statement'])) {
    const name = node.type === 'for_statement' ? node.childForFieldName('variable') : node.childForFieldName('name');
    if (name) names.add(name.text);
  }
  for (const c of commands(tree)) if (c.name === 'read') c.args.filter((a) => !a.startsWith('-')).forEach((a) => names.add(a));
  return names;
}

/** ERROR and MISSING nodes: where the parser could not make sense of the text. */
export function syntaxErrors(tree: Tree): Node[] {
  const found: Node[] = [];
  // An explicit stack, not recursion: a deeply nested hook (found by fuzzing) overflowed the call stack.
  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      found.push(node);
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return found;
}
