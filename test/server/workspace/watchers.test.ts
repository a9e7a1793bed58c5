import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimatch } from 'minimatch';
import { watcherGlobs } from '../../../server/src/workspace/watchers';
import { costGrowth } from '../../helpers/scaling';

const watched = (globs: readonly string[], file: string): boolean => globs.some((g) => minimatch(file, g, { dot: true }));

test('the watchers catch hook names, their case variants and near misses, and whole Shorewall folders', () => {
  const globs = watcherGlobs([]);
  for (const file of [
    '/w/script/OnConnect_routes.sh',
    '/w/onconnect.sh',
    '/w/On_Disconnect_x',
    '/w/ONCONECT.sh',
    '/w/etc/shorewall/start',
    '/w/shorewall6/Started',
    '/w/etc/shorewall',
  ]) {
    assert.ok(watched(globs, file), file);
  }
  for (const file of ['/w/src/app.ts', '/w/README.md', '/w/etc/firewall/start']) assert.ok(!watched(globs, file), file);
});

test('folders and globs mapped to a family are watched too, wherever they are', () => {
  const globs = watcherGlobs([{ 'deploy/vpn/**': 'anyconnect' }, { '**/firewall/hooks/': 'shorewall', '/srv/fw': 'shorewall' }]);
  for (const file of ['/w/deploy/vpn/up.sh', '/w/a/firewall/hooks/start', '/srv/fw/start']) assert.ok(watched(globs, file), file);
  assert.ok(!watched(globs, '/w/firewall/start'));
});

test('a mapped pattern with a long run of slashes costs the same per character at 32 KB as at 2 KB (it was quadratic)', () => {
  const pattern = (size: number) => `deploy${'/'.repeat(size)}vpn`;
  assert.ok(watcherGlobs([{ [pattern(32_000)]: 'anyconnect' }]).includes(`**/${pattern(32_000)}/**`));
  const growth = costGrowth((size) => watcherGlobs([{ [pattern(size)]: 'anyconnect' }]), 2_000, 32_000, 4_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
