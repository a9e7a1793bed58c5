import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';

needsShellParser();

const onConnect = (source: string, folder: Record<string, string> = {}) =>
  lintInMemory({ path: '/opt/cisco/secureclient/vpn/script/OnConnect_x.sh', source, folder });

// Found by fuzzing: tree-sitter-bash's error recovery is superlinear on some broken text. 5 KB of
// ')' took 2 s to parse, 20 KB more than 10 s, and a hook is linted as it is typed.
test('HS460: a file the parser cannot finish within its budget gets one finding on its first line, in bounded time', () => {
  const source = `«#!/bin/sh»\n${')'.repeat(20_000)}\n`;
  const started = performance.now();
  const findings = onConnect(source);
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  assert.match(assertOneAt(findings, 'HS460', source).message, /the shell parser gave up on this file after 300 ms.*content rules did not run/);
  assert.equal(findings.length, 1, describe(findings));
});

test('after a parse was given up, the next file is parsed from its own start', () => {
  onConnect(`#!/bin/sh\n${'>'.repeat(20_000)}\n`);
  const source = '#!/bin/sh\nlogger "user $«CISCO_VPN_USER»"\n';
  assertOneAt(onConnect(source), 'HS450', source);
});

test('HS452 is not raised when the parser gave up on the OnDisconnect hook: it may undo the change', () => {
  const folder = { 'OnDisconnect_x.sh': `#!/bin/sh\n${')'.repeat(20_000)}\n` };
  assert.deepEqual(codes(onConnect('#!/bin/sh\nip route add 10.0.0.0/8 dev tun0\n', folder)), []);
});
