import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBefore, withoutTrailingSlashes } from '../../../server/src/text/runs';

test('the run of like characters just before an offset, down to a floor', () => {
  assert.equal(runBefore('echo $CISCO_VPN_SERVER', 22, /\w/), 16);
  assert.equal(runBefore('echo $CISCO_VPN_SERVER', 5, /\w/), 0);
  assert.equal(runBefore('PostUp = x%i', 12, /[%\w]/, 10), 2, 'not past the floor');
  assert.equal(runBefore('abc', 0, /\w/), 0);
});

test('trailing slashes go, and only those', () => {
  assert.equal(withoutTrailingSlashes('/srv/fw///'), '/srv/fw');
  assert.equal(withoutTrailingSlashes('a//b'), 'a//b');
  assert.equal(withoutTrailingSlashes('///'), '');
  assert.equal(withoutTrailingSlashes(''), '');
});
