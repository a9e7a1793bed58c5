import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, nearest } from '../../../server/src/text/nearest';

test('nearest name within a distance that grows with the word', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('LocalLanAcess', ['AutoUpdate', 'LocalLanAccess']), 'LocalLanAccess');
  assert.equal(nearest('hostname', ['HostName', 'HostAddress']), 'HostName');
  assert.equal(nearest('Completely', ['HostName']), undefined);
});
