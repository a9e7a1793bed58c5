import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { openvpn } from '../../../../server/src/families/openvpn';
import { combinedHook, hookByName, hookOf } from '../../../../server/src/families/openvpn/hooks';
import { hookLenses } from '../../../../server/src/families/openvpn/lenses';
import { OpenvpnRequest } from '../../../../server/src/families/openvpn/request';
import { openvpnFromTask } from '../../../../server/src/families/openvpn/targets';

const resolve = (p: unknown): string | undefined => (typeof p === 'string' ? `/ws/${p}` : undefined);

suite('OpenVPN lenses, tasks and names', () => {
  test('a script for up and down gets "up then down" and one lens per event at its top', () => {
    const lenses = hookLenses('/ws/updown.sh', { family: openvpn, hook: combinedHook([hookOf('up'), hookOf('down')]) });
    assert.deepEqual(
      lenses.map((l) => [l.title, (l.request as OpenvpnRequest).events]),
      [
        ['▶ Simulate OpenVPN up then down', ['up', 'down']],
        ['up', ['up']],
        ['down', ['down']],
      ],
    );
  });

  test('a task definition becomes a request; a wrong event or no config is refused with the reason', () => {
    assert.deepEqual(
      openvpnFromTask({ simulate: 'openvpn', events: ['up', 'down'], config: 'vpn/client.conf' }, { timeoutMs: 5000 }, resolve),
      {
        ok: true,
        request: { kind: 'openvpn', events: ['up', 'down'], config: '/ws/vpn/client.conf', timeoutMs: 5000 },
      },
    );
    const bad = openvpnFromTask({ simulate: 'openvpn', events: ['sideways'], config: 'c.conf' }, {}, resolve);
    assert.equal(bad.ok, false);
    const none = openvpnFromTask({ simulate: 'openvpn' }, {}, resolve);
    assert.match(!none.ok ? none.error : '', /give "config"/);
  });

  test('a script mapped by hooksmith.hooks.families is named by its file: learn-address, up, update-resolv-conf as up + down', () => {
    assert.equal(hookByName('learn-address.sh').name, 'learn-address');
    assert.equal(hookByName('vpn-up.sh').name, 'up');
    assert.deepEqual(hookByName('update-resolv-conf').runBy, ['up', 'down']);
    assert.equal(hookByName('checkpsw.sh').name, 'up + down');
  });
});
