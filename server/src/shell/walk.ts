import type { Node, Tree } from './parser';

export interface ShellCommand {
  readonly node: Node;
  /** The command word as written (`iptables`, `/sbin/ip`). */
  readonly name: string;
  readonly nameNode: Node;
  /** Arguments with shell quotes removed where that is exact (plain words and quoted strings without expansions). */
  readonly args: readonly string[];
  readonly argNodes: readonly Node[];
  /** Runs in the hook's own shell: not in a function, subshell, pipeline part or command substitution. */
  readonly topLevel: boolean;
}

const nested = new Set(['function_definition', 'subshell', 'command_substitution', 'process_substitution', 'pipeline']);

export function commands(tree: Tree): ShellCommand[] {
  return tree.rootNode.descendantsOfType('command').flatMap((node) => {
    if (!node) return [];
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return [];
    const argNodes = node.childrenForFieldName('argument').filter((n): n is Node => n !== null);
    return [{ node, name: wordText(nameNode), nameNode, args: argNodes.map(wordText), argNodes, topLevel: isTopLevel(node) }];
  });
}

function isTopLevel(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (nested.has(p.type)) return false;
  return true;
}

/** The text a word stands for when that is known without running anything. */
export function wordText(node: Node): string {
  if (node.type === 'raw_string') return node.text.slice(1, -1);
  if (node.type === 'string' && !node.namedChildren.some((c) => c?.type !== 'string_content')) return node.text.slice(1, -1);
  if (node.type === 'command_name' && node.firstChild) return wordText(node.firstChild);
  return node.text;
}

export interface VariableUse {
  readonly name: string;
  readonly node: Node;
}

/** Every `$NAME` and `${NAME...}` in the script. */
export function variableUses(tree: Tree): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const exp of tree.rootNode.descendantsOfType(['simple_expansion', 'expansion'])) {
    const name = exp?.namedChildren.find((c) => c?.type === 'variable_name');
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
  const visit = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      found.push(node);
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return found;
}
