import * as path from 'node:path';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { packageRoot } from '../ruleDocs';
import { parserInput } from './parserInput';
import { ShellParserFault, ShellRuntime, startShellRuntime } from './runtime';

export type { Node, Tree };
export { ShellParserFault };

const sources = new WeakMap<Tree, string>();

/** The text a tree was parsed from (see parserInput): slicing it is much cheaper than reading node.text out of WebAssembly. */
export function sourceOf(tree: Tree): string {
  const text = sources.get(tree);
  if (text === undefined) throw new Error('This tree was not made by withShellTree.');
  return text;
}

let loading: Promise<ShellRuntime> | undefined;
let loaded: ShellRuntime | undefined;

/**
 * Loads the bash grammar; later calls resolve at once, until a parser fault, after which the
 * next call waits for a fresh parser. Await it before each batch of work that parses shell.
 */
export async function loadShellParser(): Promise<void> {
  loading ??= startShellRuntime(path.join(packageRoot(), 'dist')).then(
    (runtime) => (loaded = runtime),
    (e: unknown) => {
      loading = undefined; // let the next call try again
      throw e;
    },
  );
  await loading;
}

/** Drops a faulted parser and starts loading a fresh one. */
function restart(): void {
  loaded = undefined;
  loading = undefined;
  loadShellParser().catch(() => undefined); // a failure here is reported by the next awaited call
}

/**
 * Thrown when a parse runs past its time budget. tree-sitter-bash's error recovery is
 * superlinear on some broken text (3 KB of ')' or '>' take a second, 10 KB take many), and a
 * hook is linted as it is typed.
 */
export class ShellParseTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`The shell parser gave up after ${budgetMs} ms.`);
  }
}

/** A parse that gave no tree the rules can use: cut short by its budget, or a fault of the parser. */
export function isParseFailure(e: unknown): e is ShellParseTimeout | ShellParserFault {
  return e instanceof ShellParseTimeout || e instanceof ShellParserFault;
}

/** Time a parse of `text` may take: 2 ms per KB (a normal parse takes about 0.5), and never under 300 ms. */
export function parseBudgetMs(text: string): number {
  return Math.max(300, Math.round(text.length / 512));
}

/**
 * Parses shell text and hands the tree to `use`, freeing the tree's WASM memory afterwards.
 * What the parser cannot take is blanked first (parserInput.ts: NULs, long comment runs). With
 * `budgetMs`, a parse that takes longer is cancelled with ShellParseTimeout; a trap in the
 * parser's WebAssembly (a trap, a stack overflow) is thrown as ShellParserFault, and a fresh
 * parser is loaded for the calls after the next loadShellParser().
 * Throws if loadShellParser() has not finished: callers await it before they parse.
 */
export function withShellTree<T>(text: string, use: (tree: Tree) => T, budgetMs?: number): T {
  const runtime = loaded;
  if (!runtime) {
    if (loading) throw new ShellParserFault('the parser is being restarted after a fault');
    throw new Error('The shell parser is not loaded yet (await loadShellParser() first).');
  }
  const parsed = parserInput(text);
  try {
    return runtime.use(() => {
      const tree = budgetMs === undefined ? runtime.parser.parse(parsed) : parseWithin(runtime.parser, parsed, budgetMs);
      if (!tree) throw new Error('The shell parser returned no tree.');
      sources.set(tree, parsed);
      try {
        return use(tree);
      } finally {
        if (!runtime.broken) tree.delete(); // a faulted instance is dropped whole, trees and all
      }
    });
  } catch (e) {
    if (runtime.broken && loaded === runtime) restart();
    throw e;
  }
}

function parseWithin(parser: Parser, text: string, budgetMs: number): Tree | null {
  const deadline = performance.now() + budgetMs;
  // tree-sitter calls this every 100 parse operations; true cancels the parse.
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (tree) return tree;
  parser.reset(); // a cancelled parse would otherwise resume on the next call
  throw new ShellParseTimeout(budgetMs);
}
