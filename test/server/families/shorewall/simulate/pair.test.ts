// shorewall start then stop in one sandbox: the state after stop equals the state before start
// ("State restored"), or the report names what start left behind. The routes are made only inside
// the sandbox's network namespace, and the host's are checked unchanged.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe as suite, test } from 'node:test';
import { simulationSandbox } from '../../../simulate/support';
import { confdir, runsOf, simulate } from './support';

const box = simulationSandbox();
const hostRoutes = (): string => spawnSync('ip', ['route', 'show', 'table', 'all'], { encoding: 'utf8' }).stdout;

suite('Shorewall start then stop, in the sandbox', () => {
  test('a stop hook that removes what start added: "State restored"', async () => {
    const routes = hostRoutes();
    const dir = confdir(box, {
      'shorewall.conf': ['STARTUP_ENABLED=Yes'],
      start: ['/usr/sbin/ip route add 198.51.100.0/24 dev eth0', 'return 0'],
      stop: ['/usr/sbin/ip route del 198.51.100.0/24 dev eth0', 'return 0'],
    });
    const report = await simulate(box, dir, 'start', { then: 'stop', isolation: 'sandbox' });
    assert.deepEqual(
      runsOf(report).map((r) => r.label),
      ['shorewall start: start', 'shorewall stop: stop'],
    );
    assert.deepEqual(runsOf(report)[0].state?.diff, [{ kind: 'routes', change: 'added', item: '198.51.100.0/24 dev eth0 scope link' }]);
    assert.ok(
      report.notes.includes('State restored: the state after shorewall stop equals the state before shorewall start.'),
      report.notes.join('\n'),
    );
    assert.equal(hostRoutes(), routes);
  });

  test('a stop hook that forgets the route: the report names it as left behind', async () => {
    const dir = confdir(box, {
      'shorewall.conf': ['STARTUP_ENABLED=Yes'],
      started: ['/usr/sbin/ip route add 198.51.100.0/24 dev eth0'],
      stopped: ['logger "firewall stopped"'],
    });
    const report = await simulate(box, dir, 'start', { then: 'stop', isolation: 'sandbox' });
    const verdict = report.notes.find((n) => n.startsWith('State NOT restored'));
    assert.equal(
      verdict,
      'State NOT restored after shorewall start then shorewall stop: route 198.51.100.0/24 dev eth0 scope link was ' +
        'added by shorewall start and is still there after shorewall stop.',
      report.notes.join('\n'),
    );
  });

  test('two commands that are not an up/down pair run one after the other, with no verdict', async () => {
    const dir = confdir(box, { 'shorewall.conf': ['STARTUP_ENABLED=Yes'], stop: ['return 0'], start: ['return 0'] });
    const report = await simulate(box, dir, 'stop', { then: 'start', isolation: 'sandbox' });
    assert.deepEqual(
      runsOf(report).map((r) => r.label),
      ['shorewall stop: stop', 'shorewall start: start'],
    );
    assert.equal(
      report.notes.some((n) => n.startsWith('State')),
      false,
      report.notes.join('\n'),
    );
  });
});
