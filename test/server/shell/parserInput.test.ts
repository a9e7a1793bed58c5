import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankLongCommentRuns, maxCommentRun } from '../../../server/src/shell/parserInput';
import { codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';
import { costGrowth } from '../../helpers/scaling';

needsShellParser();

const onConnect = (source: string) => lintInMemory({ path: '/opt/cisco/secureclient/vpn/script/OnConnect_x.sh', source });

// Found by fuzzing (seed 1348009425, minimised): tree-sitter-bash overflowed its WebAssembly stack
// ("memory access out of bounds") on this, and every later parse in the process failed too.
test('a here-document at the start of a statement followed by 2,030 comment lines: no crash, and the next hook still parses', () => {
  const findings = onConnect(`<<EOF\n${'#\n'.repeat(2030)}`);
  assert.ok(!findings.some((f) => /parser failed/.test(f.message)), describe(findings));
  const source = '#!/bin/sh\necho "$CISCO_VPN_USER"\n';
  assert.deepEqual(codes(onConnect(source)), ['HS450']);
});

test('runs of more comment lines than the limit are blanked to the same length; shorter runs and code are kept', () => {
  const long = `# a\n\n  # b \\\n${'#\r\n'.repeat(maxCommentRun)}`;
  const short = '#'.repeat(3) + '\n# kept\n';
  const text = `echo 1 # x\n${long}echo 2\n${short}echo 3\n${'#\n'.repeat(maxCommentRun)}`;
  const blanked = blankLongCommentRuns(text);
  assert.equal(blanked.length, text.length);
  assert.equal(
    blanked,
    `echo 1 # x\n${long.replace(/#[^\n\r]*/g, (c) => ' '.repeat(c.length))}echo 2\n${short}echo 3\n${'#\n'.repeat(maxCommentRun)}`,
  );
});

// Found by fuzzing (seed 1427982189): a flood of NUL characters. The lexer slowed quadratically
// (16,000 took 4 s, 64,000 took 80 s) and the parse budget could not cut it short.
test('NUL characters are read as blanks: a hook full of them is linted at once', () => {
  const nuls = (n: number): string => `#!/bin/sh\n${'\u0000'.repeat(n)}\nexit 1\n`;
  const lint = (source: string) => lintInMemory({ path: '/etc/shorewall/start', source, folder: { 'shorewall.conf': '' } });
  const source = nuls(64_000);
  const findings = lint(source);
  const growth = costGrowth((n) => void lint(nuls(n)), 4_000, 64_000, 128_000);
  assert.ok(growth < 4, `one NUL costs ${growth.toFixed(1)} times as much in 64,000 as in 4,000`);
  assert.deepEqual(codes(findings), ['HS441', 'HS440'], describe(findings));
  assert.equal(findings[1].start, source.indexOf('exit'));
});
