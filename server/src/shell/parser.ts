import * as path from 'node:path';
import { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { packageRoot } from '../ruleDocs';

export type { Node, Tree };

/** Pinned pair: web-tree-sitter 0.27.x with tree-sitter-bash 0.25.x; the build copies both .wasm files to dist/. */
export const shellWasm = { runtime: 'web-tree-sitter.wasm', bash: 'tree-sitter-bash.wasm' } as const;

const sources = new WeakMap<Tree, string>();

/** The text a tree was parsed from: slicing it is much cheaper than reading node.text out of WebAssembly. */
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
 * Parses shell text and hands the tree to `use`, freeing the tree's WASM memory afterwards.
 * Throws if loadShellParser() has not finished: callers await it once at start-up.
 */
export function withShellTree<T>(text: string, use: (tree: Tree) => T): T {
  if (!loaded) throw new Error('The shell parser is not loaded yet (await loadShellParser() first).');
  const tree = loaded.parse(text);
  if (!tree) throw new Error('The shell parser returned no tree.');
  sources.set(tree, text);
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
