import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationScheduler } from '../../../server/src/lsp/scheduler';
import { testTrace, TraceEvent } from '../../../server/src/lsp/testTrace';

test('a burst of changes runs one validation, for the last version; the ones it replaced or a close cancelled are dropped', async () => {
  const ran: string[] = [];
  const dropped: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const scheduler = new ValidationScheduler(
    (uri, version) => {
      ran.push(`${uri}@${version}`);
      done();
    },
    (uri, version) => dropped.push(`${uri}@${version}`),
  );
  scheduler.schedule('a', 10, 1);
  scheduler.schedule('a', 10, 2);
  scheduler.schedule('b', 10, 7);
  scheduler.cancel('b');
  scheduler.cancel('c'); // nothing pending: nothing reported
  await finished;
  assert.deepEqual(ran, ['a@2']);
  assert.deepEqual(dropped, ['a@1', 'b@7']);
});

test('the test-only trace is sent only when HOOKSMITH_TEST_TRACE=1', () => {
  const sent: TraceEvent[] = [];
  const event: TraceEvent = { event: 'validated', uri: 'file:///x', version: 1, outcome: 'published' };
  testTrace((e) => sent.push(e), {})(event);
  testTrace((e) => sent.push(e), { HOOKSMITH_TEST_TRACE: '0' })(event);
  assert.equal(sent.length, 0, 'off unless asked for');
  testTrace((e) => sent.push(e), { HOOKSMITH_TEST_TRACE: '1' })(event);
  assert.deepEqual(sent, [event]);
});
