import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';
import { loadShellParser } from '../../../server/src/shell/parser';
import { runawayShapes, runawayShell } from '../../helpers/runawayShell';
import { costGrowth } from '../../helpers/scaling';

needsShellParser();

const dir = '/opt/cisco/secureclient/vpn/script';
const faulted = (message: string): boolean => message.startsWith('The shell parser failed');

const deep = (lines: number): string => `<<EOF\n${'if x\n'.repeat(lines)}if a; then $c\n`;

// Found by the long fuzz run (seed 1427982189, case 91,160; minimised in fresh processes).
// web-tree-sitter 0.27's runtime has a 64 KB stack with no overflow check: this input ran over
// its static data, and every later parse in the process failed (or hung). The parser now runs on
// an 8 MB stack of its own (server/src/shell/runtime.ts).
test('a command-less here-document followed by 1,100 nested ifs is parsed, with its syntax errors', () => {
  const findings = lintInMemory({ path: `${dir}/OnConnect_x.sh`, source: deep(1100) });
  assert.ok(
    findings.some((f) => f.code === 'HS460'),
    describe(findings),
  );
  assert.ok(!findings.some((f) => faulted(f.message)), describe(findings));
});

test('a file nested deeper than the parser can follow is one HS460 on the first line; the name and file rules still run', () => {
  const source = `«<<EOF»\n${deep(5000).slice('<<EOF\n'.length)}`;
  const findings = lintInMemory({ path: `${dir}/onconnect_x.sh`, source });
  assert.deepEqual(codes(findings), ['HS401', 'HS406', 'HS460'], describe(findings));
  const fault = assertOneAt(findings, 'HS460', source);
  assert.ok(faulted(fault.message), fault.message);
  assert.match(fault.message, /nests deeper than the parser can follow/);
});

test('after a parser fault, the next hook is parsed by a fresh parser once it has loaded', async () => {
  await loadShellParser();
  lintInMemory({ path: `${dir}/OnConnect_x.sh`, source: deep(5000) });
  const source = '#!/bin/sh\n«ip route add 10.8.0.0/16 via 10.0.0.1 dev tun0»\n';
  // Before the fresh parser has loaded, a hook gets the fault's HS460, which says why.
  const early = lintInMemory({ path: `${dir}/OnConnect_y.sh`, source });
  assert.match(early.find((f) => f.code === 'HS460')?.message ?? '', /being restarted after a fault/, describe(early));
  await loadShellParser();
  const findings = lintInMemory({ path: `${dir}/OnConnect_y.sh`, source });
  assert.deepEqual(codes(findings), ['HS452'], describe(findings));
  assertOneAt(findings, 'HS452', source);
});

// Found by the OpenVPN fuzz target (seed 1991278394), which then stalled: tree-sitter's stack of
// parse versions merges recursively on this text, exponential in its lines, and reads nothing new
// meanwhile, so the read budget never fired. Every call inside the parser's WebAssembly now counts.
test('a hook on which the parser would run for hours gets one HS460 on its first line; the name rules still run', () => {
  const source = `«#!/bin/sh»\n${runawayShell(64)}`;
  const findings = lintInMemory({ path: `${dir}/onconnect_x.sh`, source });
  assert.deepEqual(codes(findings), ['HS401', 'HS460'], describe(findings));
  assert.match(assertOneAt(findings, 'HS460', source).message, /gave up on this file after [0-9,]+ steps \(its work limit/);
});

test('every known shape of runaway text is stopped with one HS460, and more lines of it cost no more steps than the limit', () => {
  for (const [what, line, open] of runawayShapes) {
    for (const lines of [40, 400]) {
      const source = `«#!/bin/sh»\n${runawayShell(lines, line, open)}`;
      const findings = lintInMemory({ path: `${dir}/onconnect_x.sh`, source });
      assert.deepEqual(codes(findings), ['HS401', 'HS460'], `${what}, ${lines} lines: ${describe(findings)}`);
      assert.match(assertOneAt(findings, 'HS460', source).message, /gave up on this file after [0-9,]+ steps/, what);
    }
  }
});

test('the cost of such a hook grows at most linearly with its lines, from 16 to 64', () => {
  const lint = (lines: number): void => void lintInMemory({ path: `${dir}/OnConnect_x.sh`, source: runawayShell(lines) });
  const growth = costGrowth(lint, 16, 64, 256);
  assert.ok(growth < 4, `the cost per line grew ${growth.toFixed(1)} times from 16 to 64 lines`);
});

test('a hook cut by the call limit gets the same findings on a fresh parser and on one that parsed much before', async () => {
  const runaway = { path: `${dir}/OnConnect_x.sh`, source: runawayShell(24) };
  const fine = { path: `${dir}/OnConnect_y.sh`, source: '#!/bin/sh\nip route add 10.8.0.0/16 via 10.0.0.1 dev tun0\n' };
  const first = lintInMemory(runaway);
  for (let i = 0; i < 20; i++) lintInMemory(fine);
  assert.deepEqual(lintInMemory(runaway), first);
  assert.deepEqual(codes(lintInMemory(fine)), ['HS452'], 'the next hook gets its findings');
});
