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
 * How much work a parse may do, counted, never timed: the same text gets the same findings on
 * any machine and under any load. Two counts, because tree-sitter-bash's error recovery has two
 * ways to run away on broken text:
 * - its lexer goes back over a run again and again (3 KB of ')', '>' or '|' take a second, 20 KB
 *   take many): the parser reads its input in chunks of `chunkChars` through a callback, and
 *   every read is counted. A well-formed hook needs about one per chunk (0.03 reads per character,
 *   0.11 with an error on every line), a run of 4,000 ')' needs 64 per character;
 * - its stack of parse versions merges recursively with no memo, exponential in the number of
 *   lines after some broken starts (pending here-documents, an unclosed `$((`, lines of `} |`:
 *   a second at 272 characters, hours at 350), reading nothing new: the steps where a run of
 *   the parser's WebAssembly could go on without bound are counted (wasmFuel.ts: entries of
 *   recursive functions, turns of loops that call). Hooks need 2 to 9 steps per character, a file
 *   of 1,100 nested `if` lines 37 (it needed 98 calls when every call was counted, a fuzzed file 66).
 */
export interface ParseBudget {
  /** Reads of a chunk the parse may make. */
  readonly reads: number;
  /** Counted steps inside the parser's WebAssembly the parse may make (wasmFuel.ts). */
  readonly calls: number;
}

const chunkChars = 32;

/**
 * 1,024 reads plus one per two characters: about 15 times what a hook with an error on every line
 * needs; 2 million steps plus 60 per character: over twice the most a file met so far needed (37 per
 * character; nested blocks need 0.36 to 0.38 times the steps they needed calls, so the fuzzed file of 66 about 25).
 */
export function parseBudget(text: string): ParseBudget {
  return { reads: 1024 + Math.ceil(text.length / 2), calls: Math.min(2_000_000 + 60 * text.length, maxCalls) };
}

/** The counter is 32 bits wide (wasmFuel.ts); its top value means "not counting". */
const maxCalls = 0xfffffffe;

/**
 * Past this share of the calls on an instance that parsed before, the answer comes from a fresh
 * instance: the count moves a little with what an instance did before (memory for the parse comes
 * from its pools or from malloc), by well under 1 %, and a fresh instance counts the same everywhere.
 */
const nearLimit = 0.9;

/** Thrown when a parse runs past its work budget; the parser is left ready for the next one. */
export class ShellParseTimeout extends Error {
  constructor(
    readonly budget: ParseBudget,
    /** Which count ran out. */
    readonly limit: keyof ParseBudget,
  ) {
    super(
      limit === 'reads'
        ? `The shell parser gave up after reading its input ${budget.reads} times in chunks.`
        : `The shell parser gave up after ${budget.calls} steps of error recovery.`,
    );
  }

  /** The work the parser was allowed, for a user: "N reads of it" or "N steps". */
  get work(): string {
    return this.limit === 'reads' ? `${this.budget.reads} reads of it` : `${this.budget.calls.toLocaleString('en-US')} steps`;
  }
}

/** A parse that gave no tree the rules can use: cut short by its budget, or a fault of the parser. */
export function isParseFailure(e: unknown): e is ShellParseTimeout | ShellParserFault {
  return e instanceof ShellParseTimeout || e instanceof ShellParserFault;
}

/**
 * Parses shell text and hands the tree to `use`, freeing the tree's WASM memory afterwards.
 * What the parser cannot take is blanked first (parserInput.ts: NULs, long comment runs). With
 * `budget`, a parse that needs more work is cancelled with ShellParseTimeout; a trap in the
 * parser's WebAssembly (a trap, a stack overflow) is thrown as ShellParserFault, and a fresh
 * parser is loaded for the calls after the next loadShellParser().
 * Throws if loadShellParser() has not finished: callers await it before they parse.
 */
export function withShellTree<T>(text: string, use: (tree: Tree) => T, budget?: ParseBudget): T {
  const runtime = loaded;
  if (!runtime) {
    if (loading) throw new ShellParserFault('the parser is being restarted after a fault');
    throw new Error('The shell parser is not loaded yet (await loadShellParser() first).');
  }
  const parsed = parserInput(text);
  try {
    return runtime.use(() => {
      const tree = budget === undefined ? runtime.parser.parse(parsed) : parseCounted(runtime, parsed, budget);
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

/** A parse within both counts of `budget` (see ParseBudget and nearLimit). */
function parseCounted(runtime: ShellRuntime, text: string, budget: ParseBudget): Tree {
  const attempt = (): { readonly value: Tree | undefined; readonly spent: number } | undefined =>
    runtime.counted(budget.calls, () => parseWithin(runtime.parser, text, budget));
  const fresh = runtime.fresh;
  let outcome = attempt();
  // Near the call limit, whether the parse ends, runs out of calls or first out of reads (the
  // message names which) is decided on a fresh instance.
  if (!fresh && (outcome === undefined || outcome.spent > budget.calls * nearLimit)) {
    outcome?.value?.delete();
    runtime.reset();
    outcome = attempt();
  }
  if (outcome === undefined) throw new ShellParseTimeout(budget, 'calls');
  if (outcome.value === undefined) throw new ShellParseTimeout(budget, 'reads');
  return outcome.value;
}

/** The tree, or undefined when the parse ran out of reads. */
function parseWithin(parser: Parser, text: string, budget: ParseBudget): Tree | undefined {
  let reads = 0;
  let parsing = true;
  // Past the budget the input ends (nothing more to lex) and the next progress report cancels.
  // The tree keeps this callback to read node text: once parsed, reads are free.
  const input = (index: number): string => {
    if (parsing && ++reads > budget.reads) return '';
    return text.slice(index, index + chunkChars);
  };
  const tree = parser.parse(input, null, { progressCallback: () => reads > budget.reads });
  parsing = false;
  if (tree && reads <= budget.reads) return tree;
  tree?.delete();
  parser.reset(); // a cancelled parse would otherwise resume on the next call
  if (!tree && reads <= budget.reads) throw new Error('The shell parser returned no tree.');
  return undefined;
}
