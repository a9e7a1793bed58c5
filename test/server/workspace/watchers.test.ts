import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimatch } from 'minimatch';
import { watcherGlobs } from '../../../server/src/workspace/watchers';

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
