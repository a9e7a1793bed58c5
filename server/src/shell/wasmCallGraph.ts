/**
 * Where a WebAssembly module must count its steps so that no run goes on without bound, from
 * its call graph (computed from the module's bytes, so a new tree-sitter stays covered).
 *
 * The graph: one node per function, edges for direct calls and, for a call through the table, to
 * every table function of that type; plus one node for the modules linked into the same table (a
 * tree-sitter grammar): a call through the table reaches it when it holds a function of that type,
 * and it calls the exports it imports and the table functions of the types it calls through the
 * table (with no linked module given: every export and table function). Imports are JavaScript
 * that returns without calling back in (web-tree-sitter's glue and the parser's callbacks).
 *
 * Counted:
 * - the entry of every function on a cycle of the module's own calls;
 * - the entry of every function the linked node calls that can come back round to it (the lexer's
 *   advance): every cycle through a grammar passes one, so no cycle is left uncounted;
 * - each turn of a loop that calls a node that is not "free". Free: imports, counted functions, the
 *   linked node, and functions that call only free nodes and have no loop that calls into the
 *   module. A call to a free node is a bounded stretch of uncounted code, apart from loops that
 *   call nothing (memcpy, a table scan), which are bounded by the data they walk.
 * So between two counted steps a run makes a bounded number of calls; the old count of every call
 * bounded the same runs (it did not count loops that call nothing either), at about four times the
 * checks on a hook and its tree walks. A grammar's own code is not rewritten (it was not before).
 */
import {
  bodiesOf,
  definedTypes,
  exportedFunctions,
  importsOf,
  reachOf,
  Reader,
  Section,
  SectionId,
  sectionsOf,
  tableFunctions,
  typesOf,
  type Calls,
  type Reach,
} from './wasmCode';

/** What the call graph needs of a module. */
export interface ModuleShape {
  /** Each type index as text (typesOf). */
  readonly types: readonly string[];
  /** Each function's type as text: imports first, as in the module's index space. */
  readonly functionTypes: readonly string[];
  /** The names of the imported functions, in index order. */
  readonly imports: readonly string[];
  /** Per defined function (index minus imports.length). */
  readonly reach: readonly Reach[];
  readonly exports: ReadonlyMap<string, number>;
  /** The functions its element segments put in a table. */
  readonly table: readonly number[];
}

export function shapeOf(sections: readonly Section[]): ModuleShape {
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const code = find(SectionId.Code);
  const types = typesOf(find(SectionId.Type));
  const imported = importsOf(find(SectionId.Import)).functions;
  const functionTypes = [...imported.map((f) => f.type), ...definedTypes(find(SectionId.Function))].map((t) => types[t]);
  const reach = code ? bodiesOf(code).map((body) => reachOf(code.body, body)) : [];
  if (reach.length + imported.length !== functionTypes.length)
    throw new Error('The WebAssembly module does not have one body per function.');
  const exports = exportedFunctions(find(SectionId.Export));
  const start = find(SectionId.Start);
  // The start function runs once, from outside, like an export.
  if (start) exports.set('', new Reader(start.body).u32());
  return { types, functionTypes, imports: imported.map((f) => f.name), reach, exports, table: tableFunctions(find(SectionId.Element)) };
}

/** What a module linked into the same table (a grammar) may do to this one. */
export interface Linked {
  /** The names of the functions it imports: those of this module's exports it may call. */
  readonly calls: ReadonlySet<string>;
  /** The types (as text) it calls through the table. */
  readonly indirect: ReadonlySet<string>;
  /** The types of the functions it puts in the table. */
  readonly table: ReadonlySet<string>;
}

export function linkedOf(wasm: Uint8Array): Linked {
  const shape = shapeOf(sectionsOf(wasm));
  return {
    calls: new Set(shape.imports),
    indirect: new Set(shape.reach.flatMap((r) => r.indirect.map((t) => shape.types[t]))),
    table: new Set(shape.table.map((f) => shape.functionTypes[f])),
  };
}

/** Where the counter is spent (see the top of this file). */
export interface Metering {
  /**
   * Functions whose every entry is counted: those on a cycle of the module's own calls, and those
   * by which a linked module's calls come back round to it.
   */
  readonly entries: ReadonlySet<number>;
  /** Per defined function (index minus imports), the heads of its loops whose every turn is counted. */
  readonly loops: ReadonlyArray<readonly number[]>;
}

export function meteringOf(shape: ModuleShape, linked?: readonly Linked[]): Metering {
  const graph = new Graph(shape, linked);
  const entries = new Set([...graph.onCycle(), ...graph.backToLinked()]);
  const free = graph.free(entries);
  const loops = shape.reach.map((r) => r.callingLoops.filter((loop) => !graph.targets(loop).every(free)).map((loop) => loop.head));
  return { entries, loops };
}

/** The call graph: one node per function, then one node (`linked`) for every linked module at once. */
export class Graph {
  /** Successors of each node. */
  readonly next: number[][];
  readonly linked: number;
  private readonly tableByType = new Map<string, number[]>();

  constructor(
    private readonly shape: ModuleShape,
    private readonly linkedModules?: readonly Linked[],
  ) {
    for (const f of shape.table) {
      const type = shape.functionTypes[f];
      this.tableByType.set(type, [...(this.tableByType.get(type) ?? []), f]);
    }
    this.linked = shape.functionTypes.length;
    this.next = [...shape.imports.map(() => []), ...shape.reach.map((r) => this.targets(r)), this.fromLinked()];
  }

  /** The nodes a piece of code may call: its direct callees, and through the table, by type. */
  targets(calls: Calls): number[] {
    const out = new Set(calls.direct);
    for (const t of calls.indirect) {
      const type = this.shape.types[t];
      for (const f of this.tableByType.get(type) ?? []) out.add(f);
      if (!this.linkedModules || this.linkedModules.some((m) => m.table.has(type))) out.add(this.linked);
    }
    return [...out];
  }

  private fromLinked(): number[] {
    const exports = [...this.shape.exports];
    if (!this.linkedModules) return [...new Set([...exports.map(([, f]) => f), ...this.shape.table])];
    const out = new Set<number>();
    for (const m of this.linkedModules) {
      for (const [name, f] of exports) if (m.calls.has(name)) out.add(f);
      for (const type of m.indirect) for (const f of this.tableByType.get(type) ?? []) out.add(f);
    }
    return [...out];
  }

  /** The functions a linked module may call that can come back round to it. */
  backToLinked(): number[] {
    const reaches = new Set<number>([this.linked]);
    const previous: number[][] = this.next.map(() => []);
    this.next.forEach((to, from) => to.forEach((t) => previous[t].push(from)));
    const work = [this.linked];
    for (let node = work.pop(); node !== undefined; node = work.pop()) {
      for (const p of previous[node]) if (!reaches.has(p)) work.push((reaches.add(p), p));
    }
    return this.next[this.linked].filter((f) => reaches.has(f));
  }

  /** Functions on a cycle of the module's own calls (a strongly connected component with an edge inside it), the linked node left out. */
  onCycle(): Set<number> {
    const own = this.next.map((to, from) => (from === this.linked ? [] : to.filter((t) => t !== this.linked)));
    const out = new Set<number>();
    for (const component of stronglyConnected(own)) {
      const [only] = component;
      if (component.length > 1 || own[only].includes(only)) for (const f of component) out.add(f);
    }
    return out;
  }

  /**
   * The nodes a call to which costs a bounded stretch of uncounted work: imports (they do not call
   * back), counted functions, the linked node (what it calls back and can come round to it again is
   * counted), and functions that call only such nodes and have no loop that calls into this module.
   */
  free(counted: ReadonlySet<number>): (node: number) => boolean {
    const known = new Map<number, boolean>();
    const imports = this.shape.imports.length;
    const isFree = (f: number): boolean => {
      if (f < imports || f === this.linked || counted.has(f)) return true;
      let answer = known.get(f);
      if (answer === undefined) {
        // Every cycle goes through a counted function or the linked node, so this recursion ends.
        const loopsCallIn = this.shape.reach[f - imports].callingLoops.some((loop) => this.targets(loop).some((t) => t >= imports));
        answer = !loopsCallIn && this.next[f].every(isFree);
        known.set(f, answer);
      }
      return answer;
    };
    return isFree;
  }
}

/** Tarjan's strongly connected components, without recursion (the graph has hundreds of nodes, chains as long). */
function stronglyConnected(next: readonly number[][]): number[][] {
  const index = new Array<number>(next.length).fill(-1);
  const low = new Array<number>(next.length).fill(0);
  const onStack = new Array<boolean>(next.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (node: number, work: [number, number][]): void => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = true;
    work.push([node, 0]);
  };
  for (let root = 0; root < next.length; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, edge: number][] = [];
    visit(root, work);
    while (work.length) {
      const top = work[work.length - 1];
      const node = top[0];
      if (top[1] < next[node].length) {
        const to = next[node][top[1]++];
        if (index[to] === -1) visit(to, work);
        else if (onStack[to]) low[node] = Math.min(low[node], index[to]);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]], low[node]);
      if (low[node] === index[node]) components.push(popComponent(stack, onStack, node));
    }
  }
  return components;
}

function popComponent(stack: number[], onStack: boolean[], root: number): number[] {
  const component: number[] = [];
  let member: number;
  do {
    member = stack.pop() as number;
    onStack[member] = false;
    component.push(member);
  } while (member !== root);
  return component;
}
