import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { groupMembers, survivorsOf } from '../../../../helpers/processGroups';
import { simulationSandbox } from '../../../simulate/support';
import { confdir, runOf, simulate } from './support';

const box = simulationSandbox();

suite('simulateShorewall: timeouts and cancellation reach the whole process group', () => {
  test('a hook that ignores SIGTERM, with a grandchild, is killed after the grace; nothing survives', async () => {
    const pidFile = path.join(box.dir, 'grandchild.pid');
    const dir = confdir(box, {
      start: ["trap '' TERM", 'sleep 60 >/dev/null 2>&1 &', `echo $! > '${pidFile}'`, 'echo waiting', 'sleep 60'],
      started: ['echo started'],
    });
    const groups: number[] = [];
    // Shims mode: the hook writes the grandchild's pid where this test reads it (a sandbox's /tmp is private).
    const report = await simulate(
      box,
      dir,
      'start',
      { timeoutMs: 300, graceMs: 300, isolation: 'shims' },
      { onSpawn: (g) => groups.push(g) },
    );
    const start = runOf(report, 'start');
    assert.equal(start.timedOut, true);
    assert.equal(start.signal, 'SIGKILL');
    assert.deepEqual(
      start.signalsSent.map((s) => [s.signal, s.why]),
      [
        ['SIGTERM', 'timeout'],
        ['SIGKILL', 'grace-expired'],
      ],
    );
    assert.ok(start.signalsSent[1].atMs - start.signalsSent[0].atMs >= 290, 'the grace was given');
    assert.equal(start.stdout, 'waiting\n');
    assert.deepEqual(start.warnings, [
      'start did not finish within 0.3 s and was killed: Shorewall has no time limit, so `shorewall start` would hang here.',
    ]);
    assert.deepEqual(start.survivors, []);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.deepEqual(await survivorsOf(groups[0]), []);
    assert.equal(groupMembers(groups[0]).includes(grandchild), false, 'the grandchild went with it');
    assert.equal(runOf(report, 'started').stdout, 'started\n', 'the next hook still runs');
    assert.equal(report.ok, false);
  });

  test('aborting the signal stops the running hook, skips the rest and marks the report cancelled', async () => {
    const dir = confdir(box, { init: ['echo init'], start: ['echo begin', 'sleep 60'], started: ['echo started'] });
    const abort = new AbortController();
    let group = 0;
    const report = await simulate(
      box,
      dir,
      'reload',
      { graceMs: 500 },
      {
        signal: abort.signal,
        onSpawn: (g) => (group = g),
        onOutput: (_i, label, _stream, text) => label.endsWith(': start') && text.includes('begin') && abort.abort(),
      },
    );
    const start = runOf(report, 'start');
    assert.equal(report.cancelled, true);
    assert.equal(report.ok, false);
    assert.equal(start.signal, 'SIGTERM');
    assert.deepEqual(
      start.signalsSent.map((s) => s.signal),
      ['SIGTERM'],
    );
    assert.deepEqual(start.warnings, ['Cancelled: SIGTERM sent to its process group.']);
    assert.equal(runOf(report, 'init').exitCode, 0, 'the hook before ran in full');
    assert.deepEqual(report.skipped, [{ label: 'shorewall reload: started', reason: 'not run: the simulation was cancelled' }]);
    assert.deepEqual(await survivorsOf(group), []);
  });

  test('a signal aborted before the start runs nothing', async () => {
    const dir = confdir(box, { stop: ['echo stop'], stopped: ['echo stopped'] });
    const report = await simulate(box, dir, 'stop', {}, { signal: AbortSignal.abort() });
    assert.deepEqual(report.runs, []);
    assert.deepEqual(
      report.skipped.map((s) => s.reason),
      ['not run: the simulation was cancelled', 'not run: the simulation was cancelled'],
    );
    assert.equal(report.cancelled, true);
    assert.equal(report.ok, false);
  });
});
