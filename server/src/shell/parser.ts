import * as path from 'node:path';
import { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { packageRoot } from '../ruleDocs';
import { parserInput } from './parserInput';

export type { Node, Tree };

/** Pinned pair: web-tree-sitter 0.27.x with tree-sitter-bash 0.25.x; the build copies both .wasm files to dist/. */
export const shellWasm = { runtime: 'web-tree-sitter.wasm', bash: 'tree-sitter-bash.wasm' } as const;

const sources = new WeakMap<Tree, string>();

/** The text a tree was parsed from (see parserInput): slicing it is much cheaper than reading node.text out of WebAssembly. */
export function sourceOf(tree: Tree): string {
  const text = sources.get(tree);
  if (text === undefined) throw new Error('This tree was not made by withShellTree.');
  return text;
}

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

/** Loads the bash grammar once; every later call resolves at once. */
export function loadShellParser(): Promise<Parser> {
  loading ??= (async () => {
    const dist = path.join(packageRoot(), 'dist');
    await Parser.init({ locateFile: () => path.join(dist, shellWasm.runtime) });
    const bash = await Language.load(path.join(dist, shellWasm.bash));
    const parser = new Parser();
    parser.setLanguage(bash);
    loaded = parser;
    return parser;
  })();
  return loading;
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

/** A trap inside the parser's WebAssembly (a WebAssembly.RuntimeError), made into an error of ours. */
export class ShellParserFault extends Error {}

/** Time a parse of `text` may take: 2 ms per KB (a normal parse takes about 0.5), and never under 300 ms. */
export function parseBudgetMs(text: string): number {
  return Math.max(300, Math.round(text.length / 512));
}

/**
 * Parses shell text and hands the tree to `use`, freeing the tree's WASM memory afterwards.
 * What the parser cannot take is blanked first (parserInput.ts: NULs, long comment runs). With
 * `budgetMs`, a parse that takes longer is cancelled with ShellParseTimeout; a trap in the
 * parser's WebAssembly is thrown as ShellParserFault.
 * Throws if loadShellParser() has not finished: callers await it once at start-up.
 */
export function withShellTree<T>(text: string, use: (tree: Tree) => T, budgetMs?: number): T {
  const parser = loaded;
  if (!parser) throw new Error('The shell parser is not loaded yet (await loadShellParser() first).');
  const parsed = parserInput(text);
  const tree = trapped(() => (budgetMs === undefined ? parser.parse(parsed) : parseWithin(parser, parsed, budgetMs)));
  if (!tree) throw new Error('The shell parser returned no tree.');
  sources.set(tree, parsed);
  try {
    return use(tree);
  } finally {
    tree.delete();
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

function trapped<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && e.name === 'RuntimeError') throw new ShellParserFault(e.message);
    throw e;
  }
}
