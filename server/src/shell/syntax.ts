import { Finding, finding } from '../diagnostics';
import { parseBudget, ShellParserFault, ShellParseTimeout, Tree, withShellTree } from './parser';
import { clip } from '../text/clip';
import { syntaxErrors } from './walk';

/**
 * Runs content rules on the tree of `text` within the parse budget. When the parser runs past
 * it, or fails inside its WebAssembly, one HS460 on the first line says so instead, the rules do
 * not run, and the file's other findings (name, mode, line ends) still do.
 */
export function withinParseBudget(text: string, rules: (tree: Tree) => Finding[]): Finding[] {
  try {
    return withShellTree(text, rules, parseBudget(text));
  } catch (e) {
    const lineEnd = text.search(/[\r\n]|$/);
    if (e instanceof ShellParseTimeout) {
      return [
        finding(
          'HS460',
          0,
          lineEnd,
          `Shell syntax error: the shell parser gave up on this file after ${e.work} (its work limit for a file this size), ` +
            `lost in text it cannot read (long runs of unbalanced ')', '>' or '|', or here-documents that never end ahead ` +
            `of unclosed blocks, do that), so Hooksmith's content rules did not run.`,
        ),
      ];
    }
    if (e instanceof ShellParserFault) {
      return [
        finding(
          'HS460',
          0,
          lineEnd,
          `The shell parser failed on this file (${e.message}), so Hooksmith's content rules did not run. The shell may ` +
            `still run it; Hooksmith starts a fresh parser for the next check.`,
        ),
      ];
    }
    throw e;
  }
}

/** One finding per place the shell parser could not read (capped: one error often cascades). */
export function shellSyntaxFindings(tree: Tree, max = 5): Finding[] {
  return syntaxErrors(tree)
    .slice(0, max)
    .map((node) =>
      node.isMissing
        ? finding(
            'HS460',
            missingAt(node.startIndex, tree),
            missingAt(node.startIndex, tree) + 1,
            `Shell syntax error: '${node.type}' is missing here.`,
          )
        : finding('HS460', node.startIndex, node.endIndex, `Shell syntax error: the shell cannot parse "${clip(node.text.trim())}".`),
    );
}

/** A missing token has no width: mark the character before it when it is at the very end. */
function missingAt(offset: number, tree: Tree): number {
  return Math.max(0, Math.min(offset, tree.rootNode.endIndex - 1));
}
