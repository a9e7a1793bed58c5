import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../../server/src/ruleDocs';
import { shellFiles } from '../../../server/src/shell/runtime';
import { Graph, linkedOf, meteringOf, shapeOf } from '../../../server/src/shell/wasmCallGraph';
import { bodiesOf, Section, SectionId, sectionsOf } from '../../../server/src/shell/wasmCode';
import { hasFuel, meteredRuntime } from '../../../server/src/shell/wasmFuel';

const root = packageRoot();
const raw = readFileSync(path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'));
const grammar = readFileSync(path.join(root, 'dist', shellFiles.bash));
const shipped = readFileSync(path.join(root, 'dist', shellFiles.runtime));
const shape = shapeOf(sectionsOf(raw));
const linked = [linkedOf(grammar)];
const metering = meteringOf(shape, linked);
const graph = new Graph(shape, linked);

/** Whether `from` can reach `to` along `next` in one or more steps (a plain search, apart from the Tarjan pass under test). */
function reaches(next: readonly number[][], from: number, to: number): boolean {
  const seen = new Set<number>();
  const work = [...next[from]];
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (node === to) return true;
    if (!seen.has(node)) work.push(...next[(seen.add(node), node)]);
  }
  return false;
}

test("every function on a cycle of the runtime's own calls is counted at its entry", () => {
  const own = graph.next.map((to, from) => (from === graph.linked ? [] : to.filter((t) => t !== graph.linked)));
  const onCycle = own.map((_, f) => f).filter((f) => reaches(own, f, f));
  assert.ok(onCycle.length > 5, `only ${onCycle.length} functions on a cycle: the call graph lost its edges`);
  assert.deepEqual(
    onCycle.filter((f) => !metering.entries.has(f)),
    [],
  );
});

test('with the counted functions taken out, the call graph (grammar included) has no cycle left', () => {
  // Kahn's algorithm on what is left: every node must come off.
  const left = graph.next.map((to, from) => (metering.entries.has(from) ? [] : to.filter((t) => !metering.entries.has(t))));
  const incoming = left.map(() => 0);
  for (const to of left) for (const t of to) incoming[t]++;
  const ready = incoming.flatMap((n, node) => (n === 0 ? [node] : []));
  let removed = 0;
  for (let node = ready.pop(); node !== undefined; node = ready.pop(), removed++) {
    for (const t of left[node]) if (--incoming[t] === 0) ready.push(t);
  }
  assert.equal(removed, left.length, 'a cycle runs through no counted function');
  // The grammar's calls come back round through the lexer: one of the functions it calls is counted.
  assert.ok(reaches(graph.next, graph.linked, graph.linked));
  assert.ok(graph.next[graph.linked].some((f) => metering.entries.has(f)));
});

test('far fewer places are counted than functions and loops, and each one in the shipped runtime starts with the check', () => {
  const loops = metering.loops.flat().length;
  const callingLoops = shape.reach.flatMap((r) => r.callingLoops).length;
  assert.ok(metering.entries.size < shape.reach.length / 4, `${metering.entries.size} of ${shape.reach.length} functions`);
  assert.ok(loops < callingLoops / 2, `${loops} of ${callingLoops} loops that call`);
  const code = (wasm: Uint8Array): { readonly body: Uint8Array; readonly bodies: ReturnType<typeof bodiesOf> } => {
    const section = sectionsOf(wasm).find((s: Section) => s.id === SectionId.Code);
    assert.ok(section);
    return { body: section.body, bodies: bodiesOf(section) };
  };
  const before = code(raw);
  const after = code(shipped);
  const imports = shape.imports.length;
  after.bodies.forEach((b, i) => {
    const added = b.end - b.first - (before.bodies[i].end - before.bodies[i].first);
    const checks = (metering.entries.has(imports + i) ? 1 : 0) + metering.loops[i].length;
    assert.equal(added % Math.max(checks, 1), 0, `function ${imports + i}`);
    assert.equal(added === 0, checks === 0, `function ${imports + i}: ${added} bytes added for ${checks} checks`);
    // global.get of the counter, first thing in the body, when the entry is counted.
    if (metering.entries.has(imports + i)) assert.equal(after.body[b.code], 0x23, `function ${imports + i}`);
  });
});

test('the build ships the runtime already metered, the same bytes a start would make, so a start only compiles it', () => {
  assert.ok(hasFuel(shipped));
  assert.ok(!hasFuel(raw));
  assert.deepEqual(Buffer.from(meteredRuntime(raw, grammar)), shipped);
  assert.equal(meteredRuntime(shipped, grammar), shipped);
});
