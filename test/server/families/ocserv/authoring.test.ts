import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { recognizeHook } from '../../../../server/src/families/registry';
import { hookCompletions } from '../../../../server/src/hooks/completion';
import { hookHover } from '../../../../server/src/hooks/hover';
import { parseKeyValue } from '../../../../server/src/config/keyValue';
import { ocserv } from '../../../../server/src/families/ocserv';

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

suite('ocserv.conf: hover and completion of keys', () => {
  const type = ocserv.configs?.[0];
  const parse = (text: string) => parseKeyValue(text, type!.syntax);

  test('in a [vhost:...] section the keys ocserv reads only globally are not offered, and hover says ocserv ignores them there', () => {
    const text = 'auth = plain\n[vhost:www.example.com]\nconnect-script = /etc/ocserv/up\n\n';
    const offered = type!.completion!(parse(text), text.length - 1).map((i) => i.label);
    assert.ok(offered.includes('auth') && offered.includes('ipv4-network'), offered.slice(0, 5).join(' '));
    assert.ok(!offered.some((k) => k.endsWith('-script') || k === 'user-profile'), 'no global-only key in a vhost');
    const global = type!.completion!(parse('auth = plain\n'), 13).map((i) => i.label);
    assert.equal(global[0], 'connect-script');
    const hover = type!.hover!(parse(text), text.indexOf('connect-script') + 2);
    assert.match(hover?.contents ?? '', /Inside a `\[vhost:\.\.\.\]` section ocserv ignores this key/);
    assert.doesNotMatch(type!.hover!(parse('connect-script = /x\n'), 2)?.contents ?? '', /ignores this key/);
  });

  test('restrict-user-to-ports: hover says ocserv-fw runs the scripts as /bin/sh script; a word no key has gets nothing', () => {
    const text = 'restrict-user-to-ports = "tcp(443)"\nconnect-scrip = /x\n';
    assert.match(
      type!.hover!(parse(text), 3)?.contents ?? '',
      /ocserv-fw then runs the connect and disconnect scripts as `\/bin\/sh script`/,
    );
    assert.equal(type!.hover!(parse(text), text.indexOf('connect-scrip') + 2), undefined);
    assert.equal(type!.completion!(parse(text), text.indexOf('"tcp')).length, 0, 'a value: no keys');
  });
});
