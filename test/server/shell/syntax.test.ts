import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';

needsShellParser();

const onConnect = (source: string, folder: Record<string, string> = {}) =>
  lintInMemory({ path: '/opt/cisco/secureclient/vpn/script/OnConnect_x.sh', source, folder });

// Found by fuzzing: tree-sitter-bash's error recovery is superlinear on some broken text. 5 KB of
// ')' took 2 s to parse, 20 KB more than 10 s, and a hook is linted as it is typed.
test('HS460: a file the parser cannot finish within its work budget gets one finding on its first line', () => {
  const source = `«#!/bin/sh»\n${')'.repeat(20_000)}\n`;
  const findings = onConnect(source);
  assert.match(
    assertOneAt(findings, 'HS460', source).message,
    /the shell parser gave up on this file after [0-9]+ reads of it \(its work limit for a file this size\).*content rules did not run/,
  );
  assert.equal(findings.length, 1, describe(findings));
});

/** Runs `work` with a clock that jumps 10 s at every reading, as a machine under heavy load would seem to the old wall-clock budget. */
function underLoad<T>(work: () => T): T {
  const now = performance.now.bind(performance);
  let skew = 0;
  performance.now = () => now() + (skew += 10_000);
  try {
    return work();
  } finally {
    performance.now = now;
  }
}

test('the same text gets the same findings however slow the machine is: the budget counts work, not time', () => {
  const routes = '#!/bin/sh\nif [ -n "$1" ]; then echo "$1"; fi\nlogger "user $CISCO_VPN_USER"\n';
  const cases = [routes.repeat(400), `#!/bin/sh\nlogger ok\n${')'.repeat(250)}\n`, `#!/bin/sh\nlogger ok\n${'|'.repeat(2_000)}\n`, routes];
  for (const text of cases) {
    const calm = onConnect(text);
    assert.deepEqual(
      underLoad(() => onConnect(text)),
      calm,
      describe(calm),
    );
  }
  assert.deepEqual(
    codes(underLoad(() => onConnect(routes.repeat(400)))),
    Array(400).fill('HS450'),
    'a long hook is read whole, not given up',
  );
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

// Found by fuzzing (the ocserv script target, case 76,125): a hook whose broken parts nest so deep
// that walking the tree to its syntax errors by recursion overflowed the call stack, and lint threw.
test('HS460: a deeply nested broken hook gets its syntax errors, not a crash', () => {
  const source = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/shell/deeply-nested-fuzz.sh'), 'utf8');
  const findings = onConnect(source);
  assert.ok(
    findings.some((f) => f.code === 'HS460'),
    describe(findings),
  );
});
