import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { recognizeHook } from '../../../server/src/families/registry';
import { costGrowth } from '../../helpers/scaling';

test('a folder mapped to a family, with a long run of slashes in its pattern, costs the same per character at 32 KB as at 2 KB', () => {
  // Each slash of the run began a search for the pattern's trailing slashes that ran on to the run's end: quadratic.
  const mapping = (size: number) => ({ [`**/deploy${'/'.repeat(size)}vpn/`]: 'shorewall' });
  assert.equal(recognizeHook('/w/deploy/vpn/start', ['start'], mapping(32_000))?.family.id, undefined, 'deploy//vpn is not deploy/vpn');
  assert.equal(recognizeHook('/w/deploy/vpn/start', ['start'], { '**/deploy/vpn///': 'shorewall' })?.family.id, 'shorewall');
  const growth = costGrowth((size) => recognizeHook('/w/deploy/vpn/start', ['start'], mapping(size)), 2_000, 32_000, 4_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
