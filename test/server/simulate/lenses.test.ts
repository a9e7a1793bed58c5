import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { recognizeHook } from '../../../server/src/families/registry';
import { hookLenses, profileLenses } from '../../../server/src/simulate/lenses';

suite('simulation lenses', () => {
  test('a Cisco-style profile gets one lens over EnableScripting for connect then disconnect', () => {
    const text =
      '<AnyConnectProfile><ClientInitialization><EnableScripting>true</EnableScripting></ClientInitialization></AnyConnectProfile>';
    const lenses = profileLenses(text, '/p/vpn.xml');
    assert.deepEqual(
      lenses.map((l) => [text.slice(l.start, l.end), l.title, l.request]),
      [
        [
          '<EnableScripting>',
          '▶ Simulate connect then disconnect',
          { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: '/p/vpn.xml' },
        ],
      ],
    );
  });

  test('an AnyConnect hook file gets a lens for its own event', () => {
    const file = '/s/OnDisconnect_drives.sh';
    const lenses = hookLenses(file, recognizeHook(file, ['OnDisconnect_drives.sh'])!);
    assert.deepEqual(
      lenses.map((l) => [l.title, l.request]),
      [['▶ Simulate disconnect', { kind: 'anyconnect', events: ['disconnect'], script: file }]],
    );
  });

  test('a Shorewall hook gets a lens per command that runs it; compile-time Perl gets none', () => {
    const siblings = ['shorewall.conf', 'started', 'compile', 'rules'];
    const started = hookLenses('/etc/shorewall/started', recognizeHook('/etc/shorewall/started', siblings)!);
    assert.deepEqual(
      started.map((l) => l.title),
      ['▶ Simulate shorewall start', 'restart', 'reload'],
    );
    assert.deepEqual(started[1].request, { kind: 'shorewall', command: 'restart', confdir: '/etc/shorewall' });
    assert.deepEqual(hookLenses('/etc/shorewall/compile', recognizeHook('/etc/shorewall/compile', siblings)!), []);
  });

  test('a vpnc-script gets connect then disconnect and a whole session; a hook-folder file, its reason through the stock layout', () => {
    const script = '/etc/vpnc/vpnc-script';
    const lenses = hookLenses(script, recognizeHook(script, ['vpnc-script'])!);
    assert.deepEqual(
      lenses.map((l) => [l.title, l.request]),
      [
        ['▶ Simulate connect then disconnect', { kind: 'vpnc-script', events: ['connect', 'disconnect'], script }],
        ['whole session', { kind: 'vpnc-script', events: ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'], script }],
      ],
    );
    const hook = '/etc/vpnc/post-attempt-reconnect.d/10-gw';
    assert.deepEqual(
      hookLenses(hook, recognizeHook(hook, ['10-gw'])!).map((l) => [l.title, l.request]),
      [['▶ Simulate attempt-reconnect (hook folders)', { kind: 'vpnc-script', events: ['attempt-reconnect'], hooksDir: '/etc/vpnc' }]],
    );
  });
});
