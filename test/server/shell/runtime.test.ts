import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../../server/src/ruleDocs';
import { ShellParserFault, ShellRuntime, startShellRuntime } from '../../../server/src/shell/runtime';

const dist = path.join(packageRoot(), 'dist');
// tree-sitter recurses about 64 bytes deep per line here (see parser.test.ts).
const deep = (lines: number): string => `<<EOF\n${'if x\n'.repeat(lines)}if a; then $c\n`;

function parse(runtime: ShellRuntime, text: string): string {
  return runtime.use(() => {
    const tree = runtime.parser.parse(text);
    if (!tree) throw new Error('no tree');
    try {
      return tree.rootNode.type;
    } finally {
      tree.delete();
    }
  });
}

test('an overflow into the guard zone below the stack is a fault, and the instance is never used again', async () => {
  // 32 KB of stack: 1,100 lines need about 70 KB, so the recursion writes 38 KB into the 64 KB guard.
  const small = await startShellRuntime(dist, { stackBytes: 32 << 10, guardBytes: 64 << 10 });
  assert.equal(parse(small, 'echo ok\n'), 'program');
  assert.throws(
    () => parse(small, deep(1100)),
    (e) => e instanceof ShellParserFault && /overflowed its stack/.test(e.message),
  );
  assert.equal(small.broken, true);
  assert.throws(
    () => parse(small, 'echo ok\n'),
    (e) => e instanceof ShellParserFault && /faulted earlier/.test(e.message),
  );
});

test('instances are independent: a fresh one parses while another is broken', async () => {
  const broken = await startShellRuntime(dist, { stackBytes: 32 << 10, guardBytes: 64 << 10 });
  assert.throws(() => parse(broken, deep(1100)), ShellParserFault);
  const fresh = await startShellRuntime(dist);
  assert.equal(parse(fresh, deep(1100)), 'ERROR');
  assert.equal(parse(fresh, 'echo ok\n'), 'program');
});

test("a RangeError from inside the WebAssembly is a fault; one thrown by the caller's own code is not", async () => {
  const runtime = await startShellRuntime(dist);
  assert.throws(() => runtime.use(() => recurse()), RangeError);
  assert.equal(runtime.broken, false, 'a JavaScript stack overflow outside the parser leaves it whole');
  assert.throws(
    () => parse(runtime, deep(5000)),
    (e) => e instanceof ShellParserFault && /nests deeper/.test(e.message),
  );
  assert.equal(runtime.broken, true);
});

test('an ordinary error from the caller passes through unchanged and leaves the instance whole', async () => {
  const runtime = await startShellRuntime(dist);
  const mine = new Error('mine');
  assert.throws(
    () =>
      runtime.use(() => {
        throw mine;
      }),
    (e) => e === mine,
  );
  assert.equal(parse(runtime, 'echo ok\n'), 'program');
});

function recurse(): number {
  return recurse() + 1;
}
