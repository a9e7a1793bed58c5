import { Finding, finding } from '../diagnostics';
import type { Tree } from './parser';
import { syntaxErrors } from './walk';

/** One finding per place the shell parser could not read (capped: one error often cascades). */
export function shellSyntaxFindings(tree: Tree, max = 5): Finding[] {
  return syntaxErrors(tree)
    .slice(0, max)
    .map((node) =>
      node.isMissing
        ? finding('HS460', missingAt(node.startIndex, tree), missingAt(node.startIndex, tree) + 1, `Shell syntax error: '${node.type}' is missing here.`)
        : finding('HS460', node.startIndex, node.endIndex, `Shell syntax error: the shell cannot parse "${clip(node.text)}".`),
    );
}

/** A missing token has no width: mark the character before it when it is at the very end. */
function missingAt(offset: number, tree: Tree): number {
  return Math.max(0, Math.min(offset, tree.rootNode.endIndex - 1));
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
