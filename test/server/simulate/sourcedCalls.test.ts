import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { loadShellParser } from '../../../server/src/shell/parser';
import { uninterceptable, uninterceptableNow } from '../../../server/src/simulate/sourcedCalls';
import { costGrowth } from '../../helpers/scaling';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-sourced-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A hook that sources `count` files that are not there: each `.` line is one unchecked call, with its line. */
const sourcing = (count: number): string => `#!/bin/sh\n${Array.from({ length: count }, (_, i) => `. ./missing-${i}.sh\n`).join('')}`;

suite('the calls of sourced files that bypass the shims', () => {
  test('each sourced file and each call in it is reported at the line of its `.`, through nested files', async () => {
    fs.writeFileSync(path.join(dir, 'inner.sh'), '# inner\n/sbin/ip route add 10.0.0.0/8 dev tun0\n');
    const calls = await uninterceptable('#!/bin/sh\r\n\r\n. ./inner.sh\r\n. ./absent.sh\n', dir);
    assert.deepEqual(
      calls.map((c) => [c.command, c.line]),
      [
        ['/sbin/ip', 3],
        ['.', 4],
      ],
    );
    assert.match(calls[0].text, /^\. \.\/inner\.sh → inner\.sh line 2: \/sbin\/ip route add/);
  });

  test('a hook that sources many files costs linear time in its lines (each `.` re-split the text up to it)', async (t) => {
    await loadShellParser();
    const big = uninterceptableNow(sourcing(4_000), dir);
    assert.equal(big.length, 4_000);
    assert.equal(big[3_999].line, 4_001);
    const growth = costGrowth((count) => void uninterceptableNow(sourcing(count), dir), 250, 16_000, 32_000);
    t.diagnostic(`growth ${growth.toFixed(2)}`);
    assert.ok(growth < 4, `one sourced line costs ${growth.toFixed(1)} times as much in 16,000 lines as in 250`);
  });
});
