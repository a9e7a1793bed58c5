import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { recognizeHook } from '../../../../server/src/families/registry';
import { hookCompletions } from '../../../../server/src/hooks/completion';
import { hookHover } from '../../../../server/src/hooks/hover';

const mapped = { '/srv/vpn': 'ocserv' };

test('completion after $ offers the variables ocserv sets, with the events that set them', () => {
  const r = recognizeHook('/srv/vpn/session.sh', [], mapped);
  assert.ok(r);
  const text = '#!/bin/sh\nlogger "$IP_RE';
  const items = hookCompletions(text, text.length, r);
  const remote = items.find((i) => i.label === 'IP_REMOTE');
  assert.ok(remote, 'IP_REMOTE offered');
  assert.match(remote.detail, /client's IPv4 address in the tunnel.*\(connect, disconnect, host-update\)/);
  assert.equal(text.slice(remote.start, remote.end), 'IP_RE');
  assert.ok(
    items.some((i) => i.label === 'STATS_BYTES_IN'),
    'a script for connect and disconnect gets the STATS_ variables',
  );
  const connectOnly = recognizeHook('/srv/vpn/connect.sh', [], mapped);
  assert.ok(connectOnly);
  assert.ok(
    !hookCompletions(text, text.length, connectOnly).some((i) => i.label.startsWith('STATS_')),
    'not offered to a connect-only script',
  );
});

test('hover on a variable: its meaning, the events that set it, and a warning where the script runs without it', () => {
  const r = recognizeHook('/srv/vpn/session.sh', [], mapped);
  assert.ok(r);
  const text = '#!/bin/sh\nlogger "$STATS_DURATION $OCSERV_ROUTES"\n';
  const stats = hookHover(text, text.indexOf('STATS_DURATION') + 2, r)?.contents ?? '';
  assert.match(stats, /length in seconds[\s\S]*Set on: `REASON=disconnect` — not on connect, which this hook also runs for/);
  const routes = hookHover(text, text.indexOf('OCSERV_ROUTES') + 2, r)?.contents ?? '';
  assert.match(routes, /trailing space[\s\S]*Example value: `10\.10\.0\.0\/255\.255\.0\.0 fd00:10::\/64 `/);
  const top = hookHover(text, 1, r)?.contents ?? '';
  assert.match(top, /Exec'd by ocserv's main process as root/);
  assert.match(top, /connect: the login decision/);
});
