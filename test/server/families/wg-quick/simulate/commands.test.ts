// The wg-quick simulation: up runs PreUp then PostUp, down PreDown then PostDown, each line alone
// as (eval "$hook") under set -e -o pipefail with %i replaced and a "[#] ..." line on stderr; a
// failing line aborts the command as wg-quick does; in the sandbox the interface exists with the
// config's address, and the up / down pair gets its state verdict.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe as suite, test } from 'node:test';
import type { WgRequest } from '../../../../../server/src/families/wg-quick/request';
import type { HookRun, SimulationReport } from '../../../../../server/src/protocol';
import { simulate as simulateRequest } from '../../../../../server/src/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();

function config(name: string, lines: string[]): string {
  return box.hook(
    name,
    ['[Interface]', 'Address = 10.99.0.1/24', 'PrivateKey = cHJpdmF0ZQ==', ...lines, '', '[Peer]', 'PublicKey = cHVi'],
    0o600,
  );
}

function simulate(events: WgRequest['events'], file: string, extra: Partial<WgRequest> = {}): Promise<SimulationReport> {
  return simulateRequest({ kind: 'wg-quick', events, config: file, isolation: 'shims', ...extra }, { onSpawn: box.track });
}

const runs = (report: SimulationReport): HookRun[] => report.runs as HookRun[];

suite('simulate wg-quick: the order and semantics of the hook lines', () => {
  test("up runs PreUp then PostUp in file order, whatever the keys' case and place; down PreDown then PostDown", async () => {
    const file = config('wg0.conf', [
      'PostUp = echo post-up-1 %i',
      'PreDown = echo pre-down',
      'preup = echo pre-up $INTERFACE',
      'PostDown = echo post-down',
      'POSTUP = echo post-up-2',
    ]);
    const report = await simulate(['up', 'down'], file);
    assert.deepEqual(
      runs(report).map((r) => [r.label, r.stdout]),
      [
        ['up: PreUp', 'pre-up wg0\n'],
        ['up: PostUp 1', 'post-up-1 wg0\n'],
        ['up: PostUp 2', 'post-up-2\n'],
        ['down: PreDown', 'pre-down\n'],
        ['down: PostDown', 'post-down\n'],
      ],
    );
    assert.equal(runs(report)[1].stderr, '[#] echo post-up-1 wg0\n', 'wg-quick echoes the line, %i replaced');
    assert.equal(report.ok, true);
    const upNote = report.notes.find((n) => n.startsWith('wg-quick up wg0'));
    assert.match(upNote ?? '', /\[#\] ip link add wg0 type wireguard ; \[#\] echo pre-up \$INTERFACE ; \[#\] wg setconf wg0/);
    assert.match(upNote ?? '', /\[#\] ip -4 address add 10\.99\.0\.1\/24 dev wg0 .*\[#\] echo post-up-1 wg0/);
  });

  test('each line runs alone in a subshell under set -e -o pipefail: a failing command ends its line', async () => {
    const file = config('wg1.conf', [
      'PostUp = x=1; echo "x=$x"',
      'PostUp = echo "x=${x-unset}"',
      'PostDown = false | true; echo not reached',
    ]);
    const report = await simulate(['up', 'down'], file);
    assert.deepEqual(
      runs(report).map((r) => [r.stdout, r.exitCode]),
      [
        ['x=1\n', 0],
        ['x=unset\n', 0],
        ['', 1],
      ],
    );
    assert.equal(report.ok, false);
  });

  test('a failing PostUp aborts up: the lines after it do not run, the interface is deleted, a later down finds nothing', async () => {
    const file = config('wg2.conf', ['PostUp = echo one', 'PostUp = exit 3', 'PostUp = echo three', 'PostDown = echo down']);
    const report = await simulate(['up', 'down'], file);
    assert.deepEqual(
      runs(report).map((r) => [r.label, r.exitCode]),
      [
        ['up: PostUp 1', 0],
        ['up: PostUp 2', 3],
      ],
    );
    assert.match(runs(report)[1].warnings.join(' '), /aborts wg-quick up: it deletes wg2 again/);
    assert.deepEqual(
      report.skipped.map((s) => s.label),
      ['up: PostUp 3', 'down'],
    );
    assert.match(report.notes.find((n) => n.startsWith('wg-quick up')) ?? '', /\[#\] exit 3 ; \[#\] ip link delete dev wg2$/);
    assert.equal(report.ok, false);
  });

  test('a failing PreDown stops down before the interface goes: no PostDown runs, the interface stays up', async () => {
    const file = config('wg3.conf', ['PreDown = false', 'PostDown = echo post-down']);
    const report = await simulate(['down'], file);
    assert.deepEqual(
      runs(report).map((r) => r.label),
      ['down: PreDown'],
    );
    assert.deepEqual(
      report.skipped.map((s) => s.label),
      ['down: PostDown'],
    );
    assert.ok(
      report.notes.some((n) => /the interface stays up/.test(n)),
      report.notes.join('\n'),
    );
    assert.doesNotMatch(report.notes.find((n) => n.startsWith('wg-quick down')) ?? '', /ip link delete/);
  });

  test('in shims mode the firewall commands are recorded, not run; a call no shim stands in for (wg) refuses the line', async () => {
    const file = config('wg4.conf', ['PostUp = iptables -A FORWARD -i %i -j ACCEPT', 'PostUp = wg set %i fwmark 51820']);
    const report = await simulate(['up'], file);
    assert.deepEqual(runs(report)[0].commands, [{ argv: ['iptables', '-A', 'FORWARD', '-i', 'wg4', '-j', 'ACCEPT'] }]);
    assert.equal(runs(report)[1].notRun?.reason, 'unintercepted');
    assert.equal(report.ok, false);
  });

  test('a config wg-quick refuses by name, or a missing one, is a clear error', async () => {
    const bad = config('my office.conf', ['PostUp = echo x']);
    await assert.rejects(simulate(['up'], bad), /wg-quick refuses my office\.conf/);
    await assert.rejects(simulate(['up'], `${box.dir}/nope.conf`), /does not exist/);
  });
});

suite('simulate wg-quick in the sandbox', () => {
  test('the interface exists; a route PostUp adds and PostDown forgets is left behind, a symmetric pair restores', async () => {
    const hostRoutes = fs.readFileSync('/proc/net/route', 'utf8');
    const forgets = config('wg5.conf', ['PostUp = /usr/sbin/ip route add 10.50.0.0/16 dev %i', 'PostDown = echo forgot']);
    const report = await simulate(['up', 'down'], forgets, { isolation: 'sandbox' });
    assert.equal(report.isolation.mode, 'sandbox');
    assert.equal(runs(report)[0].exitCode, 0, runs(report)[0].stderr);
    assert.deepEqual(runs(report)[0].state?.diff, [{ kind: 'routes', change: 'added', item: '10.50.0.0/16 dev wg5 scope link' }]);
    assert.ok(
      report.notes.some((n) => /State NOT restored after wg-quick up then wg-quick down: route 10\.50\.0\.0\/16 dev wg5/.test(n)),
      report.notes.join('\n'),
    );
    assert.equal(fs.readFileSync('/proc/net/route', 'utf8'), hostRoutes);
    const cleans = config('wg6.conf', [
      'PostUp = /usr/sbin/ip route add 10.50.0.0/16 dev %i',
      'PostDown = /usr/sbin/ip route del 10.50.0.0/16 dev %i',
    ]);
    const restored = await simulate(['up', 'down'], cleans, { isolation: 'sandbox' });
    assert.ok(
      restored.notes.some((n) => /^State restored/.test(n)),
      restored.notes.join('\n'),
    );
  });
});
