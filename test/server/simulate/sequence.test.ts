import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { runSequence, SequenceRun } from '../../../server/src/simulate/sequence';
import { simulationSandbox } from './support';

const box = simulationSandbox();

/**
 * Runs a sequence with the next event 200 ms after the first, then (when `ready` says the first hook
 * was not yet where the test needs it at that event, as on a loaded machine) 1 s, then 5 s after.
 * A run that was not ready must still be right in its own way (`otherwise`); the first ready one is returned.
 */
async function onceReady(
  [connect, disconnect]: readonly [string, string],
  ready: (runs: SequenceRun[]) => boolean,
  otherwise: (runs: SequenceRun[]) => void,
): Promise<[SequenceRun[], number]> {
  for (const gapMs of [200, 1_000, 5_000]) {
    const steps = [
      { event: 'connect', script: connect, gapMs: 0 },
      { event: 'disconnect', script: disconnect, gapMs },
    ];
    const runs = await runSequence(steps, true, { onSpawn: box.track });
    if (ready(runs)) return [runs, gapMs];
    otherwise(runs);
  }
  assert.fail('the first hook was never ready within 5 s of its start');
}

suite('runSequence: TerminateScriptOnNextEvent', () => {
  test('true: a hook still running at the next event gets SIGTERM, then SIGKILL 500 ms later', async () => {
    // The hook prints "trapping" once TERM is ignored; if a loaded machine started it so late that TERM
    // came first, TERM ended it (no SIGKILL, rightly): the run is tried again with a longer gap.
    const connect = box.hook('OnConnect_slow.sh', ['#!/bin/sh', "trap '' TERM", 'echo trapping', 'sleep 60']);
    const disconnect = box.hook('OnDisconnect_quick.sh', ['#!/bin/sh', 'echo bye']);
    const [[first, second], gapMs] = await onceReady(
      [connect, disconnect],
      ([run]) => run.stdout === 'trapping\n',
      ([run]) => assert.deepEqual([run.signal, run.signalsSent.map((s) => s.signal)], ['SIGTERM', ['SIGTERM']]),
    );
    assert.equal(first.atNextEvent, 'terminated');
    assert.equal(first.terminatedByNextEvent, true);
    assert.equal(first.timedOut, false);
    assert.deepEqual(
      first.signalsSent.map((s) => [s.signal, s.why]),
      [
        ['SIGTERM', 'next-event'],
        ['SIGKILL', 'grace-expired'],
      ],
    );
    const [term, kill] = first.signalsSent;
    assert.ok(kill.atMs - term.atMs >= 490, `grace of ${kill.atMs - term.atMs} ms`);
    assert.ok(second.startedAtMs >= gapMs + 490, `the disconnect hook started at ${second.startedAtMs} ms, after the kill`);
    assert.equal(second.atNextEvent, 'last-event');
    assert.equal(second.stdout, 'bye\n');
    assert.equal(second.firedAtMs, gapMs);
  });

  test('true: a hook that heeds SIGTERM ends at once, with no SIGKILL', async () => {
    const connect = box.hook('OnConnect_polite.sh', ['#!/bin/sh', 'sleep 60']);
    const disconnect = box.hook('OnDisconnect_polite.sh', ['#!/bin/sh', 'exit 0']);
    const [first] = await runSequence(
      [
        { event: 'connect', script: connect, gapMs: 0 },
        { event: 'disconnect', script: disconnect, gapMs: 100 },
      ],
      true,
      { onSpawn: box.track },
    );
    assert.equal(first.terminatedByNextEvent, true);
    assert.equal(first.signal, 'SIGTERM');
    assert.deepEqual(
      first.signalsSent.map((s) => s.signal),
      ['SIGTERM'],
    );
  });

  test('false: the next hook waits until the running one has finished', async () => {
    const connect = box.hook('OnConnect_wait.sh', ['#!/bin/sh', 'sleep 0.4', 'echo connected']);
    const disconnect = box.hook('OnDisconnect_wait.sh', ['#!/bin/sh', 'echo disconnected']);
    const [first, second] = await runSequence(
      [
        { event: 'connect', script: connect, gapMs: 0 },
        { event: 'disconnect', script: disconnect, gapMs: 100 },
      ],
      false,
      { onSpawn: box.track },
    );
    assert.equal(first.atNextEvent, 'waited-for');
    assert.equal(first.terminatedByNextEvent, false);
    assert.equal(first.exitCode, 0);
    assert.equal(first.stdout, 'connected\n');
    assert.equal(second.firedAtMs, 100);
    assert.ok(second.startedAtMs >= 400, `the disconnect hook started at ${second.startedAtMs} ms`);
  });

  test('a hook already finished at the next event is left alone', async () => {
    // A loaded machine may start the hook after the next event: it is then (rightly) terminated, and tried again with a longer gap.
    const connect = box.hook('OnConnect_fast.sh', ['#!/bin/sh', 'exit 3']);
    const [[first]] = await onceReady(
      [connect, connect],
      ([run]) => run.atNextEvent !== 'terminated',
      ([run]) => assert.equal(run.terminatedByNextEvent, true),
    );
    assert.equal(first.atNextEvent, 'already-finished');
    assert.equal(first.exitCode, 3);
    assert.deepEqual(first.signalsSent, []);
  });
});
