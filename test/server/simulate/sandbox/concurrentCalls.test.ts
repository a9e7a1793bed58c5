// Several sandboxes' hooks making shim calls at once (issue: a shimmed call sometimes never confirmed): every call a hook
// makes is in its run's record, in order, and no shim is left waiting for an answer. A shim gives its pid in the sandbox's
// PID namespace; the runner maps it to the host's. A line from one run makes the runner look at every open run's processes,
// so a look could pass over another run's shim whose pid the kernel had handed out but /proc did not show yet: that call
// was never attributed, and its shim waited 30 s and said "was not recorded".
import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { runHook } from '../../../../server/src/simulate/run';
import { simulationSandbox, suiteSandbox } from '../support';

const box = simulationSandbox();
const calls = 40;

suite('shim calls from several sandboxes at once', () => {
  const boxes = Array.from({ length: 4 }, () => suiteSandbox(box.dir));

  test(`each of 4 concurrent runs records all of its ${calls} calls, in order, and every shim is answered`, async () => {
    const hook = box.hook('OnConnect_many.sh', [
      '#!/bin/sh',
      'i=0',
      `while [ $i -lt ${calls} ]; do logger "call $i"; ( : ) & i=$((i + 1)); done`,
      'wait',
    ]);
    const results = await Promise.all(
      boxes.map((b) => runHook({ event: 'connect', script: hook }, { ...b.current(), onSpawn: box.track })),
    );
    const expected = Array.from({ length: calls }, (_, i) => `logger call ${i}`);
    for (const r of results) {
      assert.doesNotMatch(r.stderr, /was not recorded/);
      assert.deepEqual(
        r.commands.map((c) => c.argv.join(' ')),
        expected,
      );
    }
  });
});
