import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, nearest } from '../../../server/src/text/nearest';

test('nearest name within a distance that grows with the word', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('LocalLanAcess', ['AutoUpdate', 'LocalLanAccess']), 'LocalLanAccess');
  assert.equal(nearest('hostname', ['HostName', 'HostAddress']), 'HostName');
  assert.equal(nearest('Completely', ['HostName']), undefined);
});

test('a word far longer than every candidate is ruled out by its length, not compared letter by letter', () => {
  assert.equal(editDistance('kitten', 'sitting', 2), 3, 'past the bound: the bound + 1');
  assert.equal(editDistance('kitten', 'sitting', 3), 3);
  // Found by fuzzing: a 160 KB element name in ClientInitialization took 1.8 s to validate.
  const candidates = Array.from({ length: 40 }, (_, i) => `ClientPreferenceNumber${i}`);
  // The comparison's first row is an Array.from: none may be made (a count of work, not a clock).
  const from = Array.from;
  let rows = 0;
  Array.from = ((...args: Parameters<typeof Array.from>) => {
    rows++;
    return from.apply(Array, args);
  }) as typeof Array.from;
  try {
    assert.equal(nearest('X'.repeat(400_000), candidates), undefined);
  } finally {
    Array.from = from;
  }
  assert.equal(rows, 0, 'no candidate was compared letter by letter');
});
