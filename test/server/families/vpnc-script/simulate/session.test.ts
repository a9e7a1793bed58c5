// The vpnc-script simulation: one test per reason openconnect sends, the script run as /bin/sh -c
// runs it, the exit status logged only, SIGHUP to what the script leaves running, the stock hook
// folders sourced in glob order, and the sandbox's verdict on a connect / disconnect pair.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { VpncRequest } from '../../../../../server/src/families/vpnc-script/request';
import type { HookRun, SimulationReport } from '../../../../../server/src/protocol';
import { simulate as simulateRequest } from '../../../../../server/src/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();

function simulate(
  events: VpncRequest['events'],
  place: Pick<VpncRequest, 'script' | 'hooksDir'>,
  extra: Partial<VpncRequest> = {},
): Promise<SimulationReport> {
  return simulateRequest({ kind: 'vpnc-script', events, isolation: 'shims', ...place, ...extra }, { onSpawn: box.track });
}

const runOf = (report: SimulationReport, reason: string): HookRun => {
  const run = report.runs.find((r) => r.label === reason);
  if (!run) throw new Error(`${reason} did not run: ${JSON.stringify(report)}`);
  return run as HookRun;
};

// Prints what a script sees: $0 (how it was started), the reason and the variables a hook reads most.
const echoScript = box.hook('vpnc-script-echo', [
  '#!/bin/sh',
  'echo "reason=$reason tundev=${TUNDEV-unset} gw=$VPNGATEWAY"',
  'echo "ip4=${INTERNAL_IP4_ADDRESS-unset} dns=${INTERNAL_IP4_DNS-unset} split=${CISCO_SPLIT_INC-unset} exc=${CISCO_SPLIT_EXC-unset}"',
  'i=0; while [ "$i" -lt "${CISCO_SPLIT_INC:-0}" ]; do eval echo "inc $i: ' +
    '\\${CISCO_SPLIT_INC_${i}_ADDR}/\\${CISCO_SPLIT_INC_${i}_MASKLEN}"; i=$((i + 1)); done',
]);

suite("simulate vpnc-script: each reason with openconnect's variables", () => {
  test("pre-init: no TUNDEV yet, but the session's variables are set (openconnect prepares them before pre-init)", async () => {
    const run = runOf(await simulate(['pre-init'], { script: echoScript }, { allowUnintercepted: true }), 'pre-init');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(
      run.stdout,
      'reason=pre-init tundev=unset gw=192.0.2.1\nip4=10.8.0.42 dns=10.8.0.53 10.8.0.54 split=2 exc=unset\n' +
        'inc 0: 10.20.0.0/16\ninc 1: 172.16.0.0/12\n',
    );
  });

  test('connect: TUNDEV=tun0, two DNS servers, two split includes numbered from 0, no split excludes', async () => {
    const report = await simulate(['connect'], { script: echoScript }, { allowUnintercepted: true });
    const run = runOf(report, 'connect');
    assert.equal(
      run.stdout,
      [
        'reason=connect tundev=tun0 gw=192.0.2.1',
        'ip4=10.8.0.42 dns=10.8.0.53 10.8.0.54 split=2 exc=unset',
        'inc 0: 10.20.0.0/16',
        'inc 1: 172.16.0.0/12',
        '',
      ].join('\n'),
    );
    assert.equal(run.env.reason, 'connect');
    assert.equal(report.ok, true);
  });

  test('attempt-reconnect: a script whose case lacks it exits 1; logged only by openconnect, and the report says so', async () => {
    const old = box.hook('vpnc-script-old', [
      '#!/bin/sh',
      'case "$reason" in',
      '  connect|disconnect|reconnect|pre-init) ;;',
      '  *) echo "unknown reason $reason" >&2; exit 1 ;;',
      'esac',
    ]);
    const report = await simulate(['attempt-reconnect'], { script: old });
    const run = runOf(report, 'attempt-reconnect');
    assert.equal(run.exitCode, 1);
    assert.equal(run.stderr, 'unknown reason attempt-reconnect\n');
    assert.ok(
      run.warnings.some((w) =>
        new RegExp(
          String.raw`Exit status 1: openconnect only logs it \("Script '\.\.\.' returned error 1"\) and` +
            String.raw` goes on, but whatever the script had still to do for this reconnect was not done`,
        ).test(w),
      ),
      run.warnings.join('\n'),
    );
    assert.equal(report.ok, false);
  });

  test("reconnect: the tunnel's variables are set again", async () => {
    const run = runOf(await simulate(['reconnect'], { script: echoScript }, { allowUnintercepted: true }), 'reconnect');
    assert.match(run.stdout, /^reason=reconnect tundev=tun0 gw=192\.0\.2\.1\nip4=10\.8\.0\.42 /);
  });

  test(
    'disconnect: run as /bin/sh -c runs it, so a script without #! still runs (sh reads it itself) and one without ' +
      'the execute bit fails with 126',
    async () => {
      const bare = box.hook('vpnc-script-bare', ['echo "down $reason on $TUNDEV"']);
      const run = runOf(await simulate(['disconnect'], { script: bare }), 'disconnect');
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stdout, 'down disconnect on tun0\n');
      const notExecutable = box.hook('vpnc-script-644', ['#!/bin/sh', 'echo never'], 0o644);
      const refused = runOf(await simulate(['disconnect'], { script: notExecutable }), 'disconnect');
      assert.equal(refused.exitCode, 126);
      assert.match(refused.stderr, /Permission denied/);
    },
  );

  test('a whole session runs the reasons in order, with --env on top of the defaults', async () => {
    const report = await simulate(
      ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'],
      { script: echoScript },
      { allowUnintercepted: true, env: { TUNDEV: 'vpn0' } },
    );
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'],
    );
    assert.match(runOf(report, 'disconnect').stdout, /tundev=vpn0/);
  });
});

suite('simulate vpnc-script: what openconnect does around the script', () => {
  test(
    'what the script leaves running gets SIGHUP when it exits, and the report says openconnect would never stop it; what ignores it, ' +
      'SIGKILL after the grace',
    async () => {
      const leaves = box.hook('vpnc-script-bg', [
        '#!/bin/sh',
        '( sleep 30; ip route add 10.99.0.0/16 dev "$TUNDEV" ) >/dev/null 2>&1 &',
        'echo configured',
      ]);
      const run = runOf(await simulate(['connect'], { script: leaves }, { allowUnintercepted: true }), 'connect');
      assert.equal(run.exitCode, 0);
      assert.deepEqual(
        run.signalsSent.map((s) => [s.signal, s.why]),
        [['SIGHUP', 'hang-up']],
      );
      assert.ok(
        run.warnings.some((w) =>
          new RegExp(
            String.raw`left \d process\(es\) of its group running: under openconnect they go on` +
              String.raw` \(racing the next reason\), and openconnect never stops them \(it sends SIGHUP only to a --script-tun`,
          ).test(w),
        ),
        run.warnings.join('\n'),
      );
      const stubborn = box.hook('vpnc-script-nohup', ['#!/bin/sh', "( trap '' HUP; sleep 30 ) >/dev/null 2>&1 &", 'sleep 0.2']);
      const killed = runOf(await simulate(['connect'], { script: stubborn }, { allowUnintercepted: true, graceMs: 300 }), 'connect');
      assert.deepEqual(
        killed.signalsSent.map((s) => [s.signal, s.why]),
        [
          ['SIGHUP', 'hang-up'],
          ['SIGKILL', 'grace-expired'],
        ],
      );
      assert.deepEqual(killed.survivors, []);
    },
  );

  test(
    'the stock layout: each reason sources its hook folders in the stock order, files in glob order; exit in one ' + 'ends the script',
    async () => {
      const vpnc = path.join(box.dir, 'vpnc');
      const files: Record<string, string> = {
        'connect.d/20-second': 'echo "connect 20 $TUNDEV"',
        'connect.d/10-first': 'echo "connect 10"; FROM_FIRST=yes',
        'connect.d/.hidden': 'echo never',
        'post-connect.d/10-after': 'echo "post-connect sees $FROM_FIRST"',
        'disconnect.d/10-stop': 'echo "disconnect"; exit 3',
        'post-disconnect.d/10-never': 'echo "post-disconnect"',
      };
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.join(vpnc, path.dirname(name)), { recursive: true });
        fs.writeFileSync(path.join(vpnc, name), `${text}\n`, { mode: 0o644 });
      }
      const report = await simulate(['connect', 'reconnect', 'disconnect'], { hooksDir: vpnc });
      const connect = runOf(report, 'connect');
      assert.equal(connect.stdout, 'connect 10\nconnect 20 tun0\npost-connect sees yes\n');
      assert.ok(
        report.notes.includes('connect sources, in this order: connect.d/10-first, connect.d/20-second, post-connect.d/10-after.'),
        report.notes.join('\n'),
      );
      assert.equal(connect.script, vpnc, 'the report names the hook folders, not the stand-in');
      assert.deepEqual(report.skipped, [
        {
          label: 'reconnect',
          reason: 'no file in the hook folders for reconnect: the stock script sources nothing (its own work is not simulated)',
        },
      ]);
      const disconnect = runOf(report, 'disconnect');
      assert.equal(disconnect.stdout, 'disconnect\n', 'exit in disconnect.d ended the script: post-disconnect.d never ran');
      assert.equal(disconnect.exitCode, 3);
    },
  );

  test('the stock layout: a call no shim catches is named with the hook file it is in, its line once', async () => {
    const vpnc = path.join(box.dir, 'vpnc-unshimmed');
    fs.mkdirSync(path.join(vpnc, 'connect.d'), { recursive: true });
    fs.writeFileSync(path.join(vpnc, 'connect.d', '10-dns'), 'echo dns\nresolvectl revert "$TUNDEV"\n', { mode: 0o644 });
    const connect = runOf(await simulate(['connect'], { hooksDir: vpnc }), 'connect');
    assert.deepEqual(
      connect.notIntercepted.map((c) => [c.line, c.text]),
      [[2, 'connect.d/10-dns: resolvectl revert "$TUNDEV"']],
    );
  });

  test(
    // A blackhole route: one on tun0 would go with the device, which openconnect removes after disconnect.
    'in the sandbox, connect then disconnect: the route connect' + ' added and disconnect forgot is named; the host is unchanged',
    async () => {
      const hostRoutes = fs.readFileSync('/proc/net/route', 'utf8');
      const forgets = box.hook('vpnc-script-forgets', [
        '#!/bin/sh',
        'case "$reason" in',
        '  connect) /usr/sbin/ip route add blackhole 10.20.0.0/16 ;;',
        '  disconnect) echo bye ;;',
        'esac',
      ]);
      const report = await simulate(['connect', 'disconnect'], { script: forgets }, { isolation: 'sandbox' });
      assert.equal(report.isolation.mode, 'sandbox');
      assert.deepEqual(runOf(report, 'connect').state?.diff, [{ kind: 'routes', change: 'added', item: 'blackhole 10.20.0.0/16' }]);
      assert.ok(
        report.notes.some((n) =>
          new RegExp(
            String.raw`State NOT restored after connect then disconnect: route blackhole 10\.20\.0\.0\/16` +
              String.raw` was added by connect and is still there after disconnect`,
          ).test(n),
        ),
        report.notes.join('\n'),
      );
      assert.equal(fs.readFileSync('/proc/net/route', 'utf8'), hostRoutes);
      const cleans = box.hook('vpnc-script-cleans', [
        '#!/bin/sh',
        'case "$reason" in',
        '  connect) /usr/sbin/ip route add blackhole 10.20.0.0/16 ;;',
        '  disconnect) /usr/sbin/ip route del blackhole 10.20.0.0/16 ;;',
        'esac',
      ]);
      const restored = await simulate(['connect', 'disconnect'], { script: cleans }, { isolation: 'sandbox' });
      assert.ok(
        restored.notes.includes('State restored: the state after disconnect equals the state before connect.'),
        restored.notes.join('\n'),
      );
    },
  );

  test('in the sandbox, pre-init sees no tunnel device; openconnect opens it after, so connect and the rest see it', async () => {
    const looks = box.hook('vpnc-script-looks', [
      '#!/bin/sh',
      'if /usr/sbin/ip link show dev tun0 >/dev/null 2>&1; then echo "$reason: tun0"; else echo "$reason: no tun0"; fi',
    ]);
    const report = await simulate(['pre-init', 'connect', 'reconnect', 'disconnect'], { script: looks }, { isolation: 'sandbox' });
    assert.equal(report.isolation.mode, 'sandbox');
    assert.deepEqual(
      report.runs.map((r) => (r as HookRun).stdout),
      ['pre-init: no tun0\n', 'connect: tun0\n', 'reconnect: tun0\n', 'disconnect: tun0\n'],
    );
    assert.deepEqual(runOf(report, 'connect').state?.diff, [], 'the device openconnect opens is not a change connect made');
  });

  test(
    "in the sandbox, each run's state before and after is the machine as openconnect leaves it (what a hook test's " +
      '`restored` and `state` read): no tun0 before pre-init, none after disconnect',
    async () => {
      // A script that cleans up after itself, but sets tun0's MTU as the examples do: the device's removal undoes that.
      const clean = box.hook('vpnc-script-clean', [
        '#!/bin/sh',
        'case "$reason" in',
        '  connect) /usr/sbin/ip link set dev tun0 mtu 1406; /usr/sbin/ip route add blackhole 10.20.0.0/16 ;;',
        '  disconnect) /usr/sbin/ip route del blackhole 10.20.0.0/16 ;;',
        'esac',
      ]);
      const report = await simulate(['pre-init', 'connect', 'disconnect'], { script: clean }, { isolation: 'sandbox' });
      assert.equal(report.isolation.mode, 'sandbox');
      const [first, , last] = report.runs;
      assert.deepEqual(last.state?.after, first.state?.before, 'the state after disconnect is the state before pre-init');
      assert.ok(!last.state?.after.links?.some((l) => l.includes('tun0')), 'tun0 is gone after disconnect');
      // Each run's diff is still what the script changed: the device openconnect opens and removes is not in it.
      assert.deepEqual(
        runOf(report, 'connect').state?.diff.map((d) => `${d.change} ${d.item}`),
        ['added blackhole 10.20.0.0/16', 'added net.ipv6.conf.tun0.mtu = 1406', 'removed net.ipv6.conf.tun0.mtu = 1500'],
      );
    },
  );

  test('in the sandbox, openconnect removes the tun device after disconnect and after a failed connect: its settings go', async () => {
    // connect sets tun0's MTU, as the example does, and disconnect leaves it: the device's removal undoes it.
    const mtu = box.hook('vpnc-script-mtu', [
      '#!/bin/sh',
      'echo "$reason: $(/usr/sbin/ip -o link show dev tun0 2>/dev/null | sed -n "s/.* mtu \\([0-9]*\\).*/mtu \\1/p")"',
      'if [ "$reason" = connect ]; then /usr/sbin/ip link set dev tun0 mtu 1406; [ -z "$FAIL" ]; fi',
    ]);
    const session = await simulate(['connect', 'disconnect'], { script: mtu }, { isolation: 'sandbox' });
    assert.equal(session.isolation.mode, 'sandbox');
    assert.deepEqual(
      session.runs.map((r) => (r as HookRun).stdout),
      ['connect: mtu 1500\n', 'disconnect: mtu 1406\n'],
    );
    assert.ok(
      session.notes.includes('State restored: the state after disconnect equals the state before connect.'),
      session.notes.join('\n'),
    );
    // A connect that fails ends the session: the next reason finds a fresh device, not the MTU the failed connect set.
    const failed = await simulate(['connect', 'reconnect', 'disconnect'], { script: mtu }, { isolation: 'sandbox', env: { FAIL: '1' } });
    assert.deepEqual(
      failed.runs.map((r) => [(r as HookRun).stdout, r.exitCode]),
      [
        ['connect: mtu 1500\n', 1],
        ['reconnect: mtu 1500\n', 0],
        ['disconnect: mtu 1500\n', 0],
      ],
    );
    assert.ok(
      failed.notes.includes('State restored: the state after disconnect equals the state before connect.'),
      failed.notes.join('\n'),
    );
  });
});
