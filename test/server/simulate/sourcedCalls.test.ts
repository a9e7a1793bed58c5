import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { loadShellParser } from '../../../server/src/shell/parser';
import { analyseAhead, uninterceptable, uninterceptableNow } from '../../../server/src/simulate/sourcedCalls';
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

  test("an analysis made ahead (while a sandbox starts) serves its run once; the next simulation's reads the files again", async () => {
    const hook = '#!/bin/sh\n. ./changing.sh\n';
    fs.writeFileSync(path.join(dir, 'changing.sh'), '/sbin/ip link set tun0 up\n');
    await loadShellParser();
    analyseAhead([{ text: hook, dir }]);
    await new Promise((resolve) => setImmediate(resolve)); // the parser loaded, the analysis ahead is done by now
    fs.writeFileSync(path.join(dir, 'changing.sh'), '/usr/bin/touch /tmp/x\n/sbin/ip link set tun0 up\n');
    // The run takes what was analysed as the simulation started (the sandbox's start is a few milliseconds).
    assert.deepEqual(
      (await uninterceptable(hook, dir)).map((c) => c.command),
      ['/sbin/ip'],
    );
    // Taken once: its next run, and the next simulation, read the sourced file as it is now.
    assert.deepEqual(
      (await uninterceptable(hook, dir)).map((c) => c.command),
      ['/usr/bin/touch', '/sbin/ip'],
    );
    analyseAhead([{ text: '#!/bin/sh\n', dir }]);
    assert.deepEqual(
      (await uninterceptable(hook, dir)).map((c) => c.command),
      ['/usr/bin/touch', '/sbin/ip'],
    );
  });
});
