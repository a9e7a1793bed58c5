import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { OcservRequest, OcservRun } from '../../../../../server/src/families/ocserv/request';
import { simulateOcserv } from '../../../../../server/src/families/ocserv/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();

/** A project: ocserv.conf naming /etc/ocserv/<name> for each script given, the scripts beside it. */
function project(name: string, scripts: Partial<Record<'connect' | 'disconnect' | 'host-update', string[]>>, extra = ''): string {
  const dir = path.join(box.dir, name);
  fs.mkdirSync(dir);
  const keys = Object.entries(scripts).map(([event, lines]) => {
    fs.writeFileSync(path.join(dir, `${event}.sh`), lines.join('\n') + '\n', { mode: 0o755 });
    return `${event}-script = /etc/ocserv/${event}.sh`;
  });
  const config = path.join(dir, 'ocserv.conf');
  fs.writeFileSync(config, ['auth = plain', 'tcp-port = 443', ...keys, extra, ''].join('\n'));
  return config;
}

const printEnv = [
  '#!/bin/sh',
  'printf "%s|%s|%s|[%s]|%s\\n" "$REASON" "$USERNAME" "${IP_REMOTE-unset}" "$OCSERV_ROUTES" "${STATS_BYTES_IN-unset}"',
  'exit 0',
];
const run = (req: Omit<OcservRequest, 'kind'>) =>
  simulateOcserv({ kind: 'ocserv', isolation: 'shims', ...req } as OcservRequest, { onSpawn: box.track });

suite('simulate ocserv: one run per event, as ocserv runs it', () => {
  test('connect: the script ocserv.conf names runs with the session environment, and login is accepted on exit 0', async () => {
    const config = project('connect', { connect: printEnv });
    const report = await run({ events: ['connect'], config });
    const [r] = report.runs as OcservRun[];
    assert.equal(r.label, 'connect: login accepted');
    assert.equal(
      r.stdout,
      'connect|jdoe|192.168.100.27|[10.10.0.0/255.255.0.0 fd00:10::/64 ]|unset\n',
      'routes keep their trailing space; no STATS_ on connect',
    );
    assert.equal(r.chosenBy.rule, 'config-key');
    assert.match(r.chosenBy.detail, /connect-script in ocserv\.conf names \/etc\/ocserv\/connect\.sh/);
    assert.ok(report.notes.some((n) => /ocserv has no timeout[\s\S]*the simulation's own timeout of 60 s applies/.test(n)));
    assert.equal(report.ok, true);
  });

  test('connect refused: disconnect is not run, and the report says why', async () => {
    const config = project('refused', { connect: ['#!/bin/sh', 'exit 1'], disconnect: printEnv });
    const report = await run({ events: ['connect', 'disconnect'], config });
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['connect: login refused (exit 1)'],
    );
    assert.match(report.skipped[0].reason, /refused the login, and ocserv runs disconnect only for sessions whose connect script exited 0/);
    assert.equal(report.ok, true, 'a refusal is an answer, not a failure of the simulation');
  });

  test('disconnect: after an accepted connect, with the STATS_ variables', async () => {
    const config = project('pair', { connect: ['#!/bin/sh', 'exit 0'], disconnect: printEnv });
    const report = await run({ events: ['connect', 'disconnect'], config });
    const [, down] = report.runs as OcservRun[];
    assert.equal(down.label, 'disconnect');
    assert.equal(down.stdout, 'disconnect|jdoe|192.168.100.27|[10.10.0.0/255.255.0.0 fd00:10::/64 ]|1048576\n');
  });

  test('host-update: only when asked, and its status is reported as ignored', async () => {
    const config = project('update', {
      connect: ['#!/bin/sh', 'exit 0'],
      'host-update': ['#!/bin/sh', 'echo "$REASON $HOSTNAME"', 'exit 3'],
    });
    const plain = await run({ events: ['connect', 'disconnect'], config });
    assert.ok(!plain.runs.some((r) => r.label === 'host-update'));
    const report = await run({ events: ['connect', 'host-update'], config });
    const up = report.runs[1] as OcservRun;
    assert.equal(up.stdout, 'host-update jdoe-laptop\n');
    assert.ok(up.warnings.some((w) => /host-update exited 3: ocserv does not wait for this script, and ignores its status/.test(w)));
  });

  test('an IPv6-only session has no IP_LOCAL or IP_REMOTE, and only IPv6 routes', async () => {
    const report = await run({ events: ['connect'], script: box.hook('v6.sh', printEnv), ipv6Only: true });
    assert.equal(report.runs[0].stdout, 'connect|jdoe|unset|[fd00:10::/64 ]|unset\n');
  });

  test(
    "restrictions: ocserv-fw runs connect as /bin/sh script (no execute bit, no OCSERV_NEXT_SCRIPT), and host-update is exec'd as " +
      'its #! line says',
    async () => {
      // ocserv's main-user.c puts ocserv-fw in front of connect and disconnect only, and ocserv-fw unsets OCSERV_NEXT_SCRIPT
      // before running the user's script.
      const config = project(
        'fw',
        {
          connect: ['#!/bin/bash', 'echo "[$OCSERV_RESTRICT_TO_ROUTES] [${OCSERV_NEXT_SCRIPT-unset}] [${BASH_VERSION:+bash}]"'],
          'host-update': ['#!/bin/bash', 'echo "$REASON [$OCSERV_RESTRICT_TO_ROUTES] [${BASH_VERSION:+bash}]"'],
        },
        'restrict-user-to-routes = true',
      );
      fs.chmodSync(path.join(path.dirname(config), 'connect.sh'), 0o644);
      const report = await run({ events: ['connect', 'host-update'], config });
      assert.deepEqual(
        report.runs.map((r) => [(r as OcservRun).label, r.stdout]),
        [
          ['connect: login accepted', '[1] [unset] []\n'],
          ['host-update', 'host-update [1] [bash]\n'],
        ],
      );
      assert.deepEqual(report.skipped, []);
      assert.ok(report.runs[0].warnings.some((w) => /Run as \/bin\/sh connect\.sh, as ocserv-fw runs it/.test(w)));
      assert.ok(!report.runs[1].warnings.some((w) => /ocserv-fw/.test(w)), report.runs[1].warnings.join('\n'));
    },
  );

  test('restrict-user-to-ports: ocserv-fw runs the script as /bin/sh, its ports in OCSERV_ALLOW_PORTS or _DENY_PORTS', async () => {
    // ocserv's export_fw_info(): "proto port " per entry, "all" for icmp/icmpv6/esp; a !(...) list is the denied one.
    const show = ['#!/bin/bash', 'echo "[${OCSERV_ALLOW_PORTS-unset}] [${OCSERV_DENY_PORTS-unset}] [${BASH_VERSION:+bash}]"'];
    const allow = project('ports-allow', { connect: show }, 'restrict-user-to-ports = "tcp(443), UDP(53), icmp()"');
    const deny = project('ports-deny', { connect: show }, 'restrict-user-to-ports = "!(tcp(25), sctp(99))"');
    const bad = project('ports-bad', { connect: show }, 'restrict-user-to-ports = true');
    const out = async (config: string) => (await run({ events: ['connect'], config })).runs[0].stdout;
    assert.equal(await out(allow), '[tcp 443 udp 53 icmp all ] [unset] []\n');
    assert.equal(await out(deny), '[unset] [tcp 25 sctp 99 ] []\n');
    // A value ocserv cannot parse stops ocserv: the report says so, and the script runs as exec'd, unrestricted.
    const report = await run({ events: ['connect'], config: bad });
    assert.equal(report.runs[0].stdout, '[unset] [unset] [bash]\n');
    assert.ok(
      report.notes.some((n) => /cannot parse: ocserv would not start \(HS511\)/.test(n)),
      report.notes.join('\n'),
    );
  });

  test('the session\'s values are ocserv\'s: REMOTE_HOSTNAME is HOSTNAME, VHOST is "default", IPv6 from the lease rules', async () => {
    const show = box.hook('values.sh', ['#!/bin/sh', 'echo "$HOSTNAME|$REMOTE_HOSTNAME|$VHOST|$IPV6_LOCAL|$IPV6_REMOTE|$IPV6_PREFIX"']);
    const report = await run({ events: ['connect'], script: show });
    assert.equal(report.runs[0].stdout, 'jdoe-laptop|jdoe-laptop|default|fda9:4efe:7e3b::1|fda9:4efe:7e3b:3a17:5c2e:9d41:a0b8:6f13|128\n');
  });

  test("the session follows ocserv.conf: its routes (IPv4 as addr/netmask), DNS, device, an IPv6-only network's addresses", async () => {
    const show = [
      '#!/bin/sh',
      'echo "[$OCSERV_ROUTES] [$OCSERV_ROUTES4] [$OCSERV_ROUTES6] [$OCSERV_DNS] [${OCSERV_NO_ROUTES-unset}] $DEVICE"',
      'echo "${IP_LOCAL-unset} ${IP_REMOTE-unset} $IPV6_LOCAL $IPV6_REMOTE $IPV6_PREFIX"',
    ];
    const v6 = project(
      'from-conf',
      { connect: show },
      [
        'device = vpn',
        'ipv6-network = fda9:4efe:7e3b:03ea::/48',
        'ipv6-subnet-prefix = 64',
        'route = 10.20.0.0/16',
        'route = fd00:20::/56',
        'route = default',
        'dns = 10.20.0.53',
      ].join('\n'),
    );
    const report = await run({ events: ['connect'], config: v6 });
    assert.equal(
      report.runs[0].stdout,
      '[10.20.0.0/255.255.0.0 fd00:20::/56 ] [10.20.0.0/255.255.0.0 ] [fd00:20::/56 ] [10.20.0.53 ] [unset] vpn0\n' +
        'unset unset fda9:4efe:7e3b::1 fda9:4efe:7e3b:3a17:5c2e:9d41:a0b8:6f13 64\n',
    );
    assert.ok(
      report.notes.some((n) => /Session values from ocserv\.conf's route, dns, ipv6-network, device/.test(n)),
      report.notes.join('\n'),
    );
    const v4 = project('from-conf4', { connect: show }, 'ipv4-network = 10.30.0.0/24');
    assert.match((await run({ events: ['connect'], config: v4 })).runs[0].stdout, /\n10\.30\.0\.1 10\.30\.0\.27 +\n$/);
  });

  test("a connect script that hangs is stopped by the simulation's timeout, and the report says ocserv would wait forever", async () => {
    const report = await run({ events: ['connect'], script: box.hook('hang.sh', ['#!/bin/sh', 'sleep 30']), timeoutMs: 300, graceMs: 100 });
    const [r] = report.runs as OcservRun[];
    assert.equal(r.timedOut, true);
    assert.match(r.label, /login refused/);
    assert.ok(r.warnings.some((w) => /ocserv has no timeout, so this user's login would hang forever/.test(w)));
    assert.equal(report.ok, false);
  });

  test('in the sandbox, a connect/disconnect pair that removes its rule leaves the state as it found it', async () => {
    const examples = path.resolve(__dirname, '../../../../../../examples/ocserv/ocserv.conf');
    const report = await simulateOcserv(
      { kind: 'ocserv', events: ['connect', 'disconnect'], config: examples, isolation: 'auto' },
      { onSpawn: box.track },
    );
    assert.deepEqual(
      report.runs.map((r) => r.exitCode),
      [0, 0],
    );
    assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
    assert.ok(
      report.notes.includes('State restored: the state after disconnect equals the state before connect.'),
      report.notes.join('\n'),
    );
    assert.deepEqual(
      report.runs[0].commands.map((c) => c.argv.slice(0, 3)),
      [
        ['iptables', '-A', 'FORWARD'],
        ['logger', '-t', 'ocserv'],
      ],
    );
  });

  test('in the sandbox, the session device goes when the session ends: a route through it goes too, a rule naming it stays', async () => {
    // ocserv removes the session's tun device after disconnect; the kernel drops the routes through it, not the rules.
    const config = project('device-goes', {
      connect: [
        '#!/bin/sh',
        '/usr/sbin/ip route add 10.77.0.0/16 dev "$DEVICE"',
        '/usr/sbin/iptables -A FORWARD -i "$DEVICE" -j ACCEPT',
        'exit 0',
      ],
      disconnect: ['#!/bin/sh', 'exit 0'],
    });
    const report = await run({ events: ['connect', 'disconnect'], config, isolation: 'sandbox' });
    assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
    const verdict = report.notes.find((n) => n.startsWith('State')) ?? '';
    assert.match(verdict, /^State NOT restored after connect then disconnect: /);
    assert.match(verdict, /-A FORWARD -i vpns0 -j ACCEPT was added by connect and is still there/);
    assert.doesNotMatch(verdict, /10\.77\.0\.0|link|address/, 'the device, its addresses and its routes went with the session');
    assert.ok(!report.runs[1].state?.after.links?.some((l) => l.includes('vpns0')), 'no device after disconnect');
  });

  test("in the sandbox, a dual-stack session has both addresses on the device and the route to the client's IPv6 prefix", async () => {
    const show = box.hook('show-tunnel.sh', [
      '#!/bin/sh',
      '/usr/sbin/ip -o addr show dev "$DEVICE" | while read -r _ _ family addr _; do echo "$family $addr"; done',
      '/usr/sbin/ip -6 route show dev "$DEVICE" | cut -d" " -f1',
      'exit 0',
    ]);
    const dual = await simulateOcserv({ kind: 'ocserv', events: ['connect'], script: show, isolation: 'sandbox' }, { onSpawn: box.track });
    assert.equal(dual.isolation.mode, 'sandbox', dual.isolation.reason);
    const lines = (dual.runs[0] as OcservRun).stdout.trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => /^inet6? /.test(l) && !l.startsWith('inet6 fe80')),
      ['inet 192.168.100.1/24', 'inet6 fda9:4efe:7e3b::1/128'],
    );
    assert.ok(lines.includes('fda9:4efe:7e3b:3a17:5c2e:9d41:a0b8:6f13'), lines.join('\n'));
    const only6 = await simulateOcserv(
      { kind: 'ocserv', events: ['connect'], script: show, isolation: 'sandbox', ipv6Only: true },
      { onSpawn: box.track },
    );
    const lines6 = (only6.runs[0] as OcservRun).stdout.trim().split('\n');
    assert.deepEqual(
      lines6.filter((l) => /^inet6? /.test(l) && !l.startsWith('inet6 fe80')),
      ['inet6 fda9:4efe:7e3b::1/128'],
      'an IPv6-only session has no IPv4 address',
    );
  });
});
