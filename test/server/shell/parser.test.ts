import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';
import { loadShellParser } from '../../../server/src/shell/parser';

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
