import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../../server/src/ruleDocs';
import { shellFiles, ShellRuntime, startShellRuntime } from '../../../server/src/shell/runtime';
import { importsOf, SectionId, sectionsOf } from '../../../server/src/shell/wasmCode';
import { startMemoryPages } from '../../../server/src/shell/wasmFuel';
import { runawayShell } from '../../helpers/runawayShell';

const dist = path.join(packageRoot(), 'dist');
const hook = '#!/bin/sh\ncase "$reason" in\n  connect) ip route add 10.8.0.0/16 dev "$TUNDEV" ;;\n  *) exit 0 ;;\nesac\n';

/** The calls a counted parse of `text` makes, or undefined when it ran out of `calls`. */
function spent(runtime: ShellRuntime, text: string, calls = 100_000_000): number | undefined {
  return runtime.use(() => {
    const outcome = runtime.counted(calls, () => runtime.parser.parse(text));
    outcome?.value?.delete();
    return outcome?.spent;
  });
}

function rootOf(runtime: ShellRuntime, text: string): string {
  return runtime.use(() => {
    const tree = runtime.parser.parse(text);
    try {
      return tree?.rootNode.toString() ?? 'no tree';
    } finally {
      tree?.delete();
    }
  });
}

test('a fresh parser makes the same number of calls for the same text in every instance, and again after a reset', async () => {
  const [a, b] = [await startShellRuntime(dist), await startShellRuntime(dist)];
  const first = spent(a, runawayShell(16));
  assert.ok(first !== undefined && first > 10_000, `spent ${first}`);
  assert.equal(spent(b, runawayShell(16)), first);
  for (let i = 0; i < 10; i++) spent(a, hook.repeat(i + 1));
  a.reset();
  assert.ok(a.fresh);
  assert.equal(spent(a, runawayShell(16)), first);
});

test('the calls grow with the lines the exponential text has, and a parse that runs out of calls stops there', async () => {
  const runtime = await startShellRuntime(dist);
  const [at16, at20] = [spent(runtime, runawayShell(16)), spent(runtime, runawayShell(20))];
  assert.ok(at16 !== undefined && at20 !== undefined && at20 > 4 * at16, `${at16} then ${at20} calls`);
  assert.equal(spent(runtime, runawayShell(64), 2_000_000), undefined);
});

test('after a parse ran out of calls the instance is as it started: the next parse gives the same tree as a fresh one', async () => {
  const [used, fresh] = [await startShellRuntime(dist), await startShellRuntime(dist)];
  assert.equal(spent(used, runawayShell(64), 1_000_000), undefined);
  assert.ok(used.fresh);
  assert.equal(rootOf(used, hook), rootOf(fresh, hook));
  assert.match(rootOf(used, hook), /^\(program \(comment\) \(case_statement/);
  // Memory the stopped parse grew stays (WebAssembly memory never shrinks): the next allocation that
  // would grow it on a fresh instance skips a few calls here. Near the limit the parser decides on a
  // fresh or reset instance (parser.ts, nearLimit), so that few calls, not the 0.2 % a used instance's
  // pools make, is how far from the limit a count has to be to be cut the same way everywhere.
  const [onUsed, onFresh] = [spent(used, hook), spent(fresh, hook)];
  assert.ok(onUsed !== undefined && onFresh !== undefined && Math.abs(onUsed - onFresh) <= 16, `${onUsed} and ${onFresh} calls`);
});

test("after a parse ran out of calls deep in the stack, the next deep parse spends and gives what a fresh instance's does", async () => {
  // The stack is not saved with the instance (runtime.ts): a reset leaves it zeroed, not as the stopped parse left it.
  const deepText = `<<EOF\n${'if x\n'.repeat(1100)}if a; then $c\n`;
  const [used, fresh] = [await startShellRuntime(dist), await startShellRuntime(dist)];
  const needed = spent(fresh, deepText);
  assert.ok(needed !== undefined && needed > 10_000, `spent ${needed}`);
  fresh.reset();
  assert.equal(spent(used, deepText, Math.floor(needed * 0.7)), undefined);
  assert.ok(used.fresh);
  assert.equal(spent(used, deepText), needed);
  used.reset();
  fresh.reset();
  assert.equal(rootOf(used, deepText), rootOf(fresh, deepText));
  assert.match(rootOf(used, deepText), /^\(ERROR \(ERROR\) \(redirected_statement/);
});

test('the shipped runtime starts with 2 MB of memory, not the 32 MB web-tree-sitter asks for, and grows it for a large hook', async () => {
  const memoryPages = (wasm: Uint8Array): number | undefined =>
    importsOf(sectionsOf(wasm).find((s) => s.id === SectionId.Import)).memory?.pages;
  assert.equal(memoryPages(readFileSync(path.join(packageRoot(), 'node_modules/web-tree-sitter/web-tree-sitter.wasm'))), 512);
  assert.equal(memoryPages(readFileSync(path.join(dist, shellFiles.runtime))), startMemoryPages);
  assert.equal(startMemoryPages * 64 * 1024, 2 << 20);
  // About 40 bytes of tree per character: 700 KB of hook need some 28 MB of heap, far past the start.
  const large = hook.repeat(5000);
  const runtime = await startShellRuntime(dist);
  const { children, end } = runtime.use(() => {
    const tree = runtime.parser.parse(large);
    try {
      return { children: tree?.rootNode.childCount, end: tree?.rootNode.endIndex };
    } finally {
      tree?.delete();
    }
  });
  assert.deepEqual({ children, end }, { children: 10_000, end: large.length });
  assert.equal(rootOf(runtime, hook), rootOf(await startShellRuntime(dist), hook));
});
