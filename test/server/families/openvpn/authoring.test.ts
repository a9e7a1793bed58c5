import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { WiredHook } from '../../../../server/src/families/family';
import { openvpn } from '../../../../server/src/families/openvpn';
import { hookOf, OpenvpnEvent } from '../../../../server/src/families/openvpn/hooks';
import { facts as serverFacts } from './facts';
import { hookCompletions } from '../../../../server/src/hooks/completion';
import { hookHover } from '../../../../server/src/hooks/hover';

/** A client's config (topology net30). */
const facts = (userArgs: Partial<Record<OpenvpnEvent, number>> = {}, more: Record<string, unknown> = {}) =>
  serverFacts(userArgs, { server: false, topology: 'net30', ...more });

/** The script as the config wires it: these directives, with the config's facts. */
function wired(events: OpenvpnEvent[], f: Record<string, unknown> = facts()) {
  const hooks: WiredHook[] = events.map((key) => ({
    family: openvpn,
    hook: hookOf(key),
    config: '/etc/openvpn/client.conf',
    key,
    serverPath: 'script.sh',
    file: '/etc/openvpn/script.sh',
    facts: f,
  }));
  return openvpn.recognizeWired?.('/etc/openvpn/script.sh', hooks) ?? assert.fail('no recognizeWired');
}

/** Hover with the cursor `at` characters into the `nth` occurrence of `needle`. */
function hoverAt(text: string, needle: string, events: OpenvpnEvent[], f = facts(), at = 1) {
  const h = hookHover(text, text.indexOf(needle) + at, wired(events, f));
  return { contents: h?.contents ?? '', covered: h ? text.slice(h.start, h.end) : undefined };
}

suite('OpenVPN positional arguments: hover and completion', () => {
  test('an up/down script: $1 is the device, $6 init or restart, each said once for both directives', () => {
    const text = '#!/bin/sh\nip route add 10.20.0.0/16 dev "$1"\necho "${6}" $5\n';
    const one = hoverAt(text, '$1', ['up', 'down']);
    assert.equal(one.covered, '$1');
    assert.match(one.contents, /^\*\*\$1\*\* · argument 1 that OpenVPN passes to the `up` and `down` hooks\n/);
    assert.match(one.contents, /`up`, `down`: the tun\/tap device, as `\$dev`: `tun0`/);
    const six = hoverAt(text, '${6}', ['up', 'down'], facts(), 3);
    assert.equal(six.covered, '${6}');
    assert.match(six.contents, /`init` on start-up, `restart` when OpenVPN restarts/);
    assert.match(hoverAt(text, '$5', ['up']).contents, /the peer's tunnel address .* or the tunnel's netmask/);
  });

  test('the directive\'s own words come first: with up "script.sh lab", $1 is that word and $2 the device', () => {
    const text = '#!/bin/sh\necho "$1" "$2" "$7" "$8"\n';
    const f = facts({ up: 1 });
    assert.match(hoverAt(text, '$1', ['up'], f).contents, /word 1 you wrote after the script in the `up` directive/);
    assert.match(hoverAt(text, '$2', ['up'], f).contents, /the tun\/tap device/);
    assert.match(hoverAt(text, '$7', ['up'], f).contents, /`init` on start-up/);
    assert.match(hoverAt(text, '$8', ['up'], f).contents, /OpenVPN passes 7 argument\(s\) here: \$8 is always empty/);
  });

  test('learn-address: op, addr, and a cn that delete never passes; tls-verify: depth and subject', () => {
    const text = '#!/bin/sh\ncase "$1" in add|update) allow "$2" "$3" ;; delete) drop "$2" ;; esac\n';
    assert.match(hoverAt(text, '$1', ['learn-address']).contents, /the operation: `add`, `update` or `delete`/);
    assert.match(hoverAt(text, '$3', ['learn-address']).contents, /for add and update only: on `delete` there is no \$3/);
    const tls = '#!/bin/sh\n[ "$1" -gt 0 ] && exit 0\necho "$2"\n';
    assert.match(hoverAt(tls, '$1', ['tls-verify']).contents, /0 is the peer itself, 1 and up its CAs/);
    assert.match(hoverAt(tls, '$2', ['tls-verify']).contents, /the X509 subject/);
  });

  test('auth-user-pass-verify: $1 is the file with via-file, and nothing with via-env; client-connect: the file to write', () => {
    const text = '#!/bin/sh\nuser=$(head -n1 "$1")\n';
    assert.match(hoverAt(text, '$1', ['auth-user-pass-verify'], facts({}, { authMethod: 'via-file' })).contents, /username \(line 1\)/);
    const env = hoverAt(text, '$1', ['auth-user-pass-verify'], facts({}, { authMethod: 'via-env' })).contents;
    assert.match(env, /passes 0 argument\(s\) here: \$1 is always empty/);
    assert.match(hoverAt('#!/bin/sh\necho x >> "$1"\n', '$1', ['client-connect']).contents, /a temporary file to write per-client/);
  });

  test('a script wired to directives that disagree says what $1 is for each', () => {
    const text = '#!/bin/sh\necho "$1"\n';
    const h = hoverAt(text, '$1', ['client-connect', 'learn-address', 'client-disconnect']).contents;
    assert.match(h, /`client-connect`: a temporary file/);
    assert.match(h, /`learn-address`: the operation/);
    assert.match(h, /`client-disconnect`: nothing: OpenVPN passes no argument here/);
  });

  test('after $, completion offers the variables and $1...$N with the same text; after $2, only the arguments', () => {
    const text = '#!/bin/sh\necho $';
    const items = hookCompletions(text, text.length, wired(['learn-address']));
    assert.ok(items.some((i) => i.label === 'common_name'));
    const args = items.filter((i) => /^\d$/.test(i.label));
    assert.deepEqual(
      args.map((i) => i.label),
      ['1', '2', '3'],
    );
    assert.match(args[2].detail, /^\$3: the client's common name, for add and update only/);
    assert.match(args[2].documentation, /on `delete` there is no \$3/);
    const typed = '#!/bin/sh\necho ${2';
    const only = hookCompletions(typed, typed.length, wired(['up']));
    assert.deepEqual(
      only.map((i) => [i.label, i.start]),
      [1, 2, 3, 4, 5, 6].map((n) => [String(n), typed.length - 1]),
    );
  });

  test('a family that does not say what its arguments are gets no hover on $1', () => {
    // ocserv scripts read everything from the environment: no positional docs.
    const r = wired(['up']);
    const other = { ...r, family: { ...r.family, positionalArgs: undefined } };
    assert.equal(hookHover('#!/bin/sh\necho "$1"\n', 17, other), undefined);
  });
});
