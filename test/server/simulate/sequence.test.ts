import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { runSequence } from '../../../server/src/simulate/sequence';
import { simulationSandbox } from './support';

const box = simulationSandbox();

suite('runSequence: TerminateScriptOnNextEvent', () => {
  test('true: a hook still running at the next event gets SIGTERM, then SIGKILL 500 ms later', async () => {
    const connect = box.hook('OnConnect_slow.sh', ['#!/bin/sh', "trap '' TERM", 'sleep 60']);
    const disconnect = box.hook('OnDisconnect_quick.sh', ['#!/bin/sh', 'echo bye']);
    const [first, second] = await runSequence(
      [
        { event: 'connect', script: connect, gapMs: 0 },
        { event: 'disconnect', script: disconnect, gapMs: 200 },
      ],
      true,
      { onSpawn: box.track },
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
    assert.ok(second.startedAtMs >= 200 + 490, `the disconnect hook started at ${second.startedAtMs} ms, after the kill`);
    assert.equal(second.atNextEvent, 'last-event');
    assert.equal(second.stdout, 'bye\n');
    assert.equal(second.firedAtMs, 200);
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
    const connect = box.hook('OnConnect_fast.sh', ['#!/bin/sh', 'exit 3']);
    const [first] = await runSequence(
      [
        { event: 'connect', script: connect, gapMs: 0 },
        { event: 'disconnect', script: connect, gapMs: 200 },
      ],
      true,
      { onSpawn: box.track },
    );
    assert.equal(first.atNextEvent, 'already-finished');
    assert.equal(first.exitCode, 3);
    assert.deepEqual(first.signalsSent, []);
  });
});
