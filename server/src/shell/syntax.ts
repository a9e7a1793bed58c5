import { Finding, finding } from '../diagnostics';
import type { Tree } from './parser';
import { syntaxErrors } from './walk';

/** One finding per place the shell parser could not read (capped: one error often cascades). */
export function shellSyntaxFindings(tree: Tree, max = 5): Finding[] {
  return syntaxErrors(tree)
    .slice(0, max)
    .map((node) =>
      node.isMissing
        ? finding('HS460', node.startIndex, Math.max(node.endIndex, node.startIndex + 1), `Shell syntax error: '${node.type}' is missing here.`)
        : finding('HS460', node.startIndex, node.endIndex, `Shell syntax error: the shell cannot parse "${clip(node.text)}".`),
    );
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
