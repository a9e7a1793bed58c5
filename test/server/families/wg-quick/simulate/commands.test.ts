// The wg-quick simulation: up runs PreUp then PostUp, down PreDown then PostDown, each line alone
// as (eval "$hook") under set -e -o pipefail with %i replaced and a "[#] ..." line on stderr; a
// failing line aborts the command as wg-quick does; in the sandbox wg-quick's own steps run (the
// interface, a tun device standing in, with its address and routes; deleted before PostDown), and
// the up / down pair gets its state verdict.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe as suite, test } from 'node:test';
import type { WgRequest } from '../../../../../server/src/families/wg-quick/request';
import { formatSimulation } from '../../../../../server/src/cli/simulateText';
import { isListedStep } from '../../../../../server/src/protocol';
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

/** The runs of hook lines and (in the sandbox) of wg-quick's own steps; outside it those steps are listed only (see below). */
const runs = (report: SimulationReport): HookRun[] => (report.runs as HookRun[]).filter((r) => !isListedStep(r));
const labels = (report: SimulationReport): string[] => report.runs.map((r) => r.label);

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

  test("shims mode lists wg-quick's own steps in their place among the hook lines, as wg-quick would do them, not run", async () => {
    const file = box.hook(
      'wg11.conf',
      [
        '[Interface]',
        'Address = 10.97.0.2/32',
        'PreUp = echo pre-up',
        'PostUp = echo post-up',
        'PreDown = echo pre-down',
        'PostDown = echo post-down',
        '[Peer]',
        'PublicKey = cHVi',
        'AllowedIPs = 0.0.0.0/0',
      ],
      0o600,
    );
    const report = await simulate(['up', 'down'], file);
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.notRun?.reason ?? r.exitCode]),
      [
        ['up: wg-quick (add wg11)', 'listed'],
        ['up: PreUp', 0],
        ['up: wg-quick (configure wg11)', 'listed'],
        ['up: PostUp', 0],
        ['down: PreDown', 0],
        ['down: wg-quick (delete wg11)', 'listed'],
        ['down: PostDown', 0],
      ],
    );
    const said = (label: string): string => report.runs.find((r) => r.label === label)?.notRun?.message ?? '';
    assert.equal(
      said('up: wg-quick (add wg11)'),
      'wg-quick would do this here (only the sandbox runs its own steps): [#] ip link add wg11 type wireguard',
    );
    // The default route: its own table 51820 and the two rules, as wg-quick's add_default prints them.
    const configure = [
      'wg setconf wg11 /dev/fd/63',
      'ip -4 address add 10.97.0.2/32 dev wg11',
      'ip link set mtu 1420 up dev wg11',
      'wg set wg11 fwmark 51820',
      'ip -4 rule add not fwmark 51820 table 51820',
      'ip -4 rule add table main suppress_prefixlength 0',
      'ip -4 route add 0.0.0.0/0 dev wg11 table 51820',
      'nft -f /dev/fd/63',
    ];
    assert.ok(said('up: wg-quick (configure wg11)').endsWith(`: ${configure.map((step) => `[#] ${step}`).join(' ; ')}`));
    assert.match(said('down: wg-quick (delete wg11)'), /\[#\] ip -4 rule delete table 51820 ; .* ; \[#\] ip link delete dev wg11$/);
    // Listed, not run: nothing recorded, no failure; the verdicts count the hook lines only.
    assert.ok(report.runs.filter(isListedStep).every((r) => r.commands.length === 0 && r.durationMs === 0));
    assert.equal(report.ok, true);
    assert.match(
      formatSimulation(report),
      /\nup: wg-quick \(add wg11\) {2}wg11\.conf\n {2}not run: wg-quick would do this here .*\nOK: 4 hook\(s\) exited 0\.\n$/s,
    );
  });

  test('a config wg-quick refuses by name, or a missing one, is a clear error', async () => {
    const bad = config('my office.conf', ['PostUp = echo x']);
    await assert.rejects(simulate(['up'], bad), /wg-quick refuses my office\.conf/);
    await assert.rejects(simulate(['up'], `${box.dir}/nope.conf`), /does not exist/);
  });
});

const run = (report: SimulationReport, label: string): HookRun => {
  const found = runs(report).find((r) => r.label === label);
  assert.ok(
    found,
    `no run ${label}: ${runs(report)
      .map((r) => r.label)
      .join(', ')}`,
  );
  return found;
};
const diffOf = (r: HookRun): string[] => (r.state?.diff ?? []).map((d) => `${d.change} ${d.item}`);

suite('simulate wg-quick in the sandbox', () => {
  test('a routing rule PostUp adds and PostDown forgets is left behind; a route through the interface goes with it', async () => {
    const hostRoutes = fs.readFileSync('/proc/net/route', 'utf8');
    const forgets = config('wg5.conf', [
      'PostUp = /usr/sbin/ip route add 10.50.0.0/16 dev %i',
      'PostUp = /usr/sbin/ip rule add from 10.50.0.0/16 table 100',
      'PostDown = echo forgot',
    ]);
    const report = await simulate(['up', 'down'], forgets, { isolation: 'sandbox' });
    assert.equal(report.isolation.mode, 'sandbox');
    assert.equal(run(report, 'up: PostUp 1').exitCode, 0, run(report, 'up: PostUp 1').stderr);
    assert.deepEqual(diffOf(run(report, 'up: PostUp 1')), ['added 10.50.0.0/16 dev wg5 scope link']);
    const verdict = report.notes.find((n) => n.startsWith('State NOT restored after wg-quick up then wg-quick down')) ?? '';
    assert.match(verdict, /from 10\.50\.0\.0\/16 lookup 100/, report.notes.join('\n'));
    // wg-quick down deletes the interface, and the kernel the routes through it: that one is not left behind.
    assert.doesNotMatch(verdict, /10\.50\.0\.0\/16 dev wg5/);
    assert.equal(fs.readFileSync('/proc/net/route', 'utf8'), hostRoutes);
    const cleans = config('wg6.conf', [
      'PostUp = /usr/sbin/ip rule add from 10.50.0.0/16 table 100',
      'PreDown = /usr/sbin/ip rule del from 10.50.0.0/16 table 100',
    ]);
    const restored = await simulate(['up', 'down'], cleans, { isolation: 'sandbox' });
    assert.ok(
      restored.notes.some((n) => /^State restored/.test(n)),
      restored.notes.join('\n'),
    );
  });

  test("wg-quick's own steps run there (a tun device standing in): interface, address, MTU, routes, then the deletion", async () => {
    const file = box.hook(
      'wg8.conf',
      [
        '[Interface]',
        'Address = 10.98.0.1/24',
        'MTU = 1380',
        'DNS = 10.98.0.53',
        'PreUp = ip link show %i | grep -c POINTOPOINT',
        'PreDown = ip -o link show %i | grep -o "mtu [0-9]*"',
        'PostDown = ip link show %i',
        '[Peer]',
        'PublicKey = cHVi',
        'AllowedIPs = 10.98.0.0/24, 10.70.0.0/16',
      ],
      0o600,
    );
    const report = await simulate(['up', 'down'], file, { isolation: 'sandbox' });
    assert.deepEqual(
      runs(report).map((r) => r.label),
      [
        'up: wg-quick (add wg8)',
        'up: PreUp',
        'up: wg-quick (configure wg8)',
        'down: PreDown',
        'down: wg-quick (delete wg8)',
        'down: PostDown',
      ],
    );
    assert.deepEqual(diffOf(run(report, 'up: wg-quick (add wg8)')), ['added wg8: <POINTOPOINT,MULTICAST,NOARP>']);
    assert.equal(run(report, 'up: PreUp').stdout, '1\n', 'PreUp runs once the interface exists, before its address');
    const configured = diffOf(run(report, 'up: wg-quick (configure wg8)'));
    for (const line of ['added wg8 inet 10.98.0.1/24', 'added 10.70.0.0/16 dev wg8 scope link'])
      assert.ok(configured.includes(line), `${line} in ${configured.join('\n')}`);
    assert.match(
      run(report, 'up: wg-quick (configure wg8)').stderr,
      /^\[#\] ip -4 address add 10\.98\.0\.1\/24 dev wg8\n\[#\] ip link set mtu 1380 up dev wg8\n/,
    );
    // The route of the address's own subnet exists already: wg-quick skips it, and so does the simulation.
    assert.doesNotMatch(run(report, 'up: wg-quick (configure wg8)').stderr, /route add 10\.98\.0\.0\/24/);
    assert.equal(run(report, 'down: PreDown').stdout, 'mtu 1380\n');
    assert.ok(diffOf(run(report, 'down: wg-quick (delete wg8)')).includes('removed wg8 inet 10.98.0.1/24'));
    // PostDown runs after the interface is gone, as in wg-quick: a command naming it fails.
    assert.equal(run(report, 'down: PostDown').exitCode, 1);
    assert.match(run(report, 'down: PostDown').stderr, /Device "wg8" does not exist/);
    const up = report.notes.find((n) => n.startsWith('wg-quick up wg8')) ?? '';
    assert.match(up, /its own steps ran in the sandbox; stood in or not run: ip link add wg8 type wireguard: a tun device stands in/);
    assert.match(up, /wg setconf wg8 \/dev\/fd\/63: not run.*resolvconf -a wg8 -m 0 -x: not run/);
    assert.ok(
      report.notes.some((n) => /^State restored/.test(n)),
      report.notes.join('\n'),
    );
  });

  test('a failed up names what the lines before the failure left behind: no PostDown runs after it', async () => {
    const file = config('wg12.conf', ['PostUp = /usr/sbin/ip rule add from 10.60.0.0/16 table 100', 'PostUp = false']);
    const report = await simulate(['up', 'down'], file, { isolation: 'sandbox' });
    const verdict = report.notes.find((n) => n.startsWith('State NOT restored after the failed wg-quick up')) ?? '';
    assert.match(verdict, /from 10\.60\.0\.0\/16 lookup 100/, report.notes.join('\n'));
    assert.match(verdict, /wg-quick runs no PreDown or PostDown after a failed up/);
    const clean = config('wg13.conf', ['PostUp = false']);
    const nothingLeft = await simulate(['up'], clean, { isolation: 'sandbox' });
    assert.ok(
      nothingLeft.notes.some((n) => /^State restored: the state after the failed wg-quick up's clean-up/.test(n)),
      nothingLeft.notes.join('\n'),
    );
  });

  test("up's failure path deletes the interface; a down alone first finds the interface as up leaves it", async () => {
    const failing = config('wg9.conf', ['PostUp = false', 'PostDown = echo never']);
    const report = await simulate(['up', 'down'], failing, { isolation: 'sandbox' });
    assert.deepEqual(
      runs(report).map((r) => r.label),
      ['up: wg-quick (add wg9)', 'up: wg-quick (configure wg9)', 'up: PostUp', 'up: wg-quick (delete wg9 after the failure)'],
    );
    // Both modes read the same: shims mode lists those steps (not run) in the same places.
    assert.deepEqual(labels(await simulate(['up', 'down'], failing)), labels(report));
    assert.ok(diffOf(run(report, 'up: wg-quick (delete wg9 after the failure)')).includes('removed wg9 inet 10.99.0.1/24'));
    const downOnly = config('wg10.conf', ['PreDown = ip -o address show dev %i | grep -o "inet [0-9./]*"']);
    const down = await simulate(['down'], downOnly, { isolation: 'sandbox' });
    assert.equal(run(down, 'down: PreDown').stdout, 'inet 10.99.0.1/24\n');
    assert.ok(
      down.notes.some((n) => /No up was simulated before down: wg10 was first set up/.test(n)),
      down.notes.join('\n'),
    );
    const twice = await simulate(['down', 'down'], downOnly, { isolation: 'sandbox' });
    assert.deepEqual(
      twice.skipped.map((x) => [x.label, /the down before deleted it/.test(x.reason)]),
      [['down', true]],
    );
  });
});
