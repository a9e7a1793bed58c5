// The NetworkManager dispatcher simulation with real processes: per action the right folder, the
// scripts in name order one at a time with $1, $2 and the documented environment, skipped names and
// refused files reported with NetworkManager's reason, no-wait.d scripts started without waiting,
// the 600 s timeout by default, and the sandbox's verdict on a vpn-up / vpn-down pair.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { NmRequest } from '../../../../../server/src/families/nm-dispatcher/request';
import { nmCli } from '../../../../../server/src/families/nm-dispatcher/cli';
import type { HookRun, SimulationReport } from '../../../../../server/src/protocol';
import { simulate as simulateRequest } from '../../../../../server/src/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();
let layouts = 0;

/** A fresh NetworkManager/dispatcher.d with its three subfolders, and a scratch folder the scripts may write to. */
function layout(): { dir: string; scratch: string } {
  const base = path.join(box.dir, String(layouts++));
  const dir = path.join(base, 'NetworkManager', 'dispatcher.d');
  for (const sub of ['pre-up.d', 'pre-down.d', 'no-wait.d']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const scratch = path.join(base, 'scratch');
  fs.mkdirSync(scratch);
  return { dir, scratch };
}

function put(dir: string, rel: string, lines: string[], mode = 0o755): string {
  const file = path.join(dir, rel);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  fs.chmodSync(file, mode);
  return file;
}

function simulate(events: NmRequest['events'], dir: string, extra: Partial<NmRequest> = {}): Promise<SimulationReport> {
  return simulateRequest({ kind: 'nm-dispatcher', events, dir, isolation: 'shims', ...extra }, { onSpawn: box.track });
}

const runs = (report: SimulationReport): HookRun[] => report.runs as HookRun[];
const labels = (report: SimulationReport): string[] => report.runs.map((r) => r.label);

suite('simulate nm-dispatcher: folders, order, arguments and environment', () => {
  test("vpn-up then vpn-down: dispatcher.d's scripts in name order, $1 the VPN interface, $2 the action, from /", async () => {
    const { dir } = layout();
    const echo = ['#!/bin/sh', 'echo "$1|$2|$NM_DISPATCHER_ACTION|$VPN_IP_IFACE|$CONNECTION_ID|$VPN_IP4_ADDRESS_0|$DEVICE_IFACE|$(pwd)"'];
    put(dir, '90-last', echo);
    put(dir, '10-first', echo);
    put(dir, 'B-upper', echo); // strcmp: upper case before lower case, digits before both
    put(dir, 'pre-up.d/10-never', ['#!/bin/sh', 'echo wrong folder']);
    const report = await simulate(['vpn-up', 'vpn-down'], dir, { interface: 'tun7' });
    assert.deepEqual(labels(report), [
      'vpn-up: 10-first',
      'vpn-up: 90-last',
      'vpn-up: B-upper',
      'vpn-down: 10-first',
      'vpn-down: 90-last',
      'vpn-down: B-upper',
    ]);
    assert.equal(runs(report)[0].stdout, 'tun7|vpn-up|vpn-up|tun7|Corp VPN|10.8.0.42/24 10.8.0.1|eth0|/\n');
    assert.equal(runs(report)[3].stdout, 'tun7|vpn-down|vpn-down|tun7|Corp VPN|10.8.0.42/24 10.8.0.1|eth0|/\n');
    assert.equal(runs(report)[0].hook, 'dispatcher.d');
    assert.equal(report.ok, true);
  });

  test('vpn- and device actions together: --interface names the tunnel, and dhcp4-change comes from the device under it', async () => {
    const { dir } = layout();
    put(dir, '10-echo', ['#!/bin/sh', 'echo "$1|$2|$DEVICE_IFACE|$CONNECTION_ID"']);
    const report = await simulate(['vpn-up', 'dhcp4-change'], dir, { interface: 'tun0' });
    assert.deepEqual(
      runs(report).map((r) => r.stdout),
      ['tun0|vpn-up|eth0|Corp VPN\n', 'eth0|dhcp4-change|eth0|Wired connection 1\n'],
    );
    const alone = await simulate(['dhcp4-change'], dir, { interface: 'wlan0' });
    assert.equal(runs(alone)[0].stdout, 'wlan0|dhcp4-change|wlan0|Wired connection 1\n', 'with no vpn- action it names the device');
  });

  test('pre-up runs pre-up.d only, pre-down pre-down.d only; up gives the device as $1 and its IP4 variables', async () => {
    const { dir } = layout();
    put(dir, '10-main', ['#!/bin/sh', 'echo "main $1 $2 ${IP4_ADDRESS_0-unset} ${VPN_IP_IFACE-unset}"']);
    put(dir, 'pre-up.d/10-pre', ['#!/bin/sh', 'echo "pre-up.d $2"']);
    put(dir, 'pre-down.d/10-pre', ['#!/bin/sh', 'echo "pre-down.d $2"']);
    const report = await simulate(['pre-up', 'up', 'pre-down', 'down'], dir, { interface: 'enp3s0' });
    assert.deepEqual(
      runs(report).map((r) => r.stdout.trim()),
      ['pre-up.d pre-up', 'main enp3s0 up 192.168.1.23/24 192.168.1.1 unset', 'pre-down.d pre-down', 'main enp3s0 down unset unset'],
    );
    assert.deepEqual(
      runs(report).map((r) => r.hook),
      ['pre-up.d', 'dispatcher.d', 'pre-down.d', 'dispatcher.d'],
    );
  });

  test('the connections are dual-stack by default (IP6_ and VPN_IP6_ variables); stack ipv4 leaves every IPv6 one out', async () => {
    const { dir } = layout();
    const shown = ['IP6_NUM_ADDRESSES', 'IP6_ADDRESS_0', 'IP6_GATEWAY', 'IP6_NUM_ROUTES', 'IP6_ROUTE_0', 'IP6_NAMESERVERS'];
    shown.push('VPN_IP6_ADDRESS_0', 'VPN_IP6_ROUTE_0');
    put(dir, '10-v6', ['#!/bin/sh', ...shown.map((v) => `echo "${v}=\${${v}-unset}"`)]);
    const dual = runs(await simulate(['up', 'vpn-up'], dir));
    assert.deepEqual(dual[0].stdout.trim().split('\n'), [
      'IP6_NUM_ADDRESSES=1',
      'IP6_ADDRESS_0=2001:db8:1::23/64 fe80::1',
      'IP6_GATEWAY=fe80::1',
      'IP6_NUM_ROUTES=1',
      'IP6_ROUTE_0=2001:db8:1::/64 :: 100',
      'IP6_NAMESERVERS=2001:db8:1::53',
      'VPN_IP6_ADDRESS_0=unset',
      'VPN_IP6_ROUTE_0=unset',
    ]);
    assert.match(dual[1].stdout, /VPN_IP6_ADDRESS_0=fd00:8::42\/64 fd00:8::1\nVPN_IP6_ROUTE_0=fd00:20::\/48 fd00:8::1 50\n$/);
    const v4 = runs(await simulate(['up', 'vpn-up'], dir, { stack: 'ipv4' }));
    for (const r of v4)
      assert.deepEqual(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('=')[1]),
        Array(8).fill('unset'),
        r.stdout,
      );
    assert.equal(v4[0].env.IP4_ADDRESS_0, '192.168.1.23/24 192.168.1.1');
    await assert.rejects(simulate(['up'], dir, { stack: 'ipv6' as 'ipv4' }), /"stack" must be one of dual, ipv4\./);
  });

  test('dhcp6-change on a dual-stack connection: the DHCP6_ lease variables with the IP6_ ones; ipv4 has neither', async () => {
    const { dir } = layout();
    const shown = ['DHCP6_IP6_ADDRESS', 'DHCP6_DHCP6_NAME_SERVERS', 'DHCP6_DHCP6_DOMAIN_SEARCH', 'IP6_ADDRESS_0', 'DHCP4_IP_ADDRESS'];
    put(dir, '10-dhcp6', ['#!/bin/sh', 'echo "$1 $2"', ...shown.map((v) => `echo "${v}=\${${v}-unset}"`)]);
    const [dual] = runs(await simulate(['dhcp6-change'], dir, { interface: 'wlan0' }));
    assert.deepEqual(dual.stdout.trim().split('\n'), [
      'wlan0 dhcp6-change',
      'DHCP6_IP6_ADDRESS=2001:db8:1::23',
      'DHCP6_DHCP6_NAME_SERVERS=2001:db8:1::53',
      'DHCP6_DHCP6_DOMAIN_SEARCH=home.example',
      'IP6_ADDRESS_0=2001:db8:1::23/64 fe80::1',
      'DHCP4_IP_ADDRESS=192.168.1.23',
    ]);
    const [v4] = runs(await simulate(['dhcp6-change'], dir, { stack: 'ipv4' }));
    assert.deepEqual(v4.stdout.trim().split('\n'), [
      'eth0 dhcp6-change',
      ...shown.slice(0, 4).map((v) => `${v}=unset`),
      'DHCP4_IP_ADDRESS=192.168.1.23',
    ]);
  });

  test('hostname gets $1 "none", connectivity-change $1 empty and CONNECTIVITY_STATE, neither a connection', async () => {
    const { dir } = layout();
    put(dir, '10-echo', ['#!/bin/sh', 'echo "[$1] $2 ${CONNECTION_ID-noconn} ${CONNECTIVITY_STATE-nostate} $#"']);
    const report = await simulate(['hostname', 'connectivity-change'], dir);
    assert.deepEqual(
      runs(report).map((r) => r.stdout),
      ['[none] hostname noconn nostate 2\n', '[] connectivity-change noconn FULL 2\n'],
    );
  });

  test('one at a time: the second script starts only after the first has exited', async () => {
    const { dir, scratch } = layout();
    const log = path.join(scratch, 'log');
    put(dir, '10-slow', ['#!/bin/sh', `echo "10 start" >> '${log}'`, 'sleep 0.3', `echo "10 end" >> '${log}'`]);
    put(dir, '20-next', ['#!/bin/sh', `echo "20" >> '${log}'`]);
    await simulate(['up'], dir);
    assert.equal(fs.readFileSync(log, 'utf8'), '10 start\n10 end\n20\n');
  });

  test('a script with its #! further down runs under /bin/sh, as GLib falls back to it, and says so', async () => {
    const { dir } = layout();
    put(dir, '10-late', ['', '#!/bin/bash', 'echo "$0 $1 $2"']);
    const run = runs(await simulate(['vpn-up'], dir))[0];
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, `${path.join(dir, '10-late')} tun0 vpn-up\n`);
    assert.ok(run.warnings.some((w) => /No #! on line 1.*ran it as \/bin\/sh 10-late/.test(w)));
  });

  test('a failing script is logged as NetworkManager logs it, and the next one still runs', async () => {
    const { dir } = layout();
    put(dir, '10-fail', ['#!/bin/sh', 'exit 3']);
    put(dir, '20-after', ['#!/bin/sh', 'echo after']);
    const report = await simulate(['vpn-up'], dir);
    assert.equal(runs(report)[0].exitCode, 3);
    assert.ok(
      runs(report)[0].warnings.some((w) => w.includes(`"Script '/etc/NetworkManager/dispatcher.d/10-fail' exited with status 3."`)),
    );
    assert.equal(runs(report)[1].stdout, 'after\n');
    assert.equal(report.ok, false);
  });
});

suite('simulate nm-dispatcher: what NetworkManager skips and refuses', () => {
  test('skipped names, a link to /dev/null, an empty file and each refused permission, with its reason; the rest run', async () => {
    const { dir } = layout();
    const script = ['#!/bin/sh', 'echo ran'];
    put(dir, '10-runs', script);
    put(dir, '20-backup~', script);
    put(dir, '.21-hidden', script);
    put(dir, '22-old.dpkg-old', script);
    put(dir, '23-new.rpmnew', script);
    fs.symlinkSync('/dev/null', path.join(dir, '30-masked'));
    put(dir, '31-empty', []);
    fs.writeFileSync(path.join(dir, '31-empty'), '');
    fs.chownSync(put(dir, '40-user', script), 1000, 1000);
    put(dir, '41-groupw', script, 0o775);
    put(dir, '42-worldw', script, 0o757);
    put(dir, '43-suid', script, 0o4755);
    put(dir, '44-noexec', script, 0o644);
    const report = await simulate(['vpn-up'], dir);
    assert.deepEqual(labels(report), ['vpn-up: 10-runs']);
    const why = Object.fromEntries(report.skipped.map((s) => [s.label.replace('vpn-up: ', ''), s.reason]));
    assert.match(why['20-backup~'], /skips 20-backup~: it ends in ~/);
    assert.match(why['.21-hidden'], /it starts with a dot/);
    assert.match(why['22-old.dpkg-old'], /\.dpkg-old/);
    assert.match(why['23-new.rpmnew'], /\.rpmnew/);
    assert.match(why['30-masked'], /link to \/dev\/null/);
    assert.match(why['31-empty'], /empty: NetworkManager skips it silently/);
    const log = (name: string, msg: string) =>
      `NetworkManager refuses ${name} and logs "find-scripts: Cannot execute '/etc/NetworkManager/dispatcher.d/${name}': ${msg}"`;
    assert.equal(why['40-user'], log('40-user', 'not owned by root.'));
    assert.equal(why['41-groupw'], log('41-groupw', 'writable by group or other, or set-UID.'));
    assert.equal(why['42-worldw'], log('42-worldw', 'writable by group or other, or set-UID.'));
    assert.equal(why['43-suid'], log('43-suid', 'writable by group or other, or set-UID.'));
    assert.equal(why['44-noexec'], log('44-noexec', 'not executable by owner.'));
    assert.equal(Object.keys(why).length, 11);
  });

  test('an action whose folder holds nothing says so', async () => {
    const { dir } = layout();
    put(dir, '10-main', ['#!/bin/sh', 'true']);
    const report = await simulate(['vpn-pre-down'], dir);
    assert.deepEqual(report.runs, []);
    assert.match(report.skipped[0].reason, /no script in pre-down\.d: NetworkManager runs nothing for vpn-pre-down/);
  });
});

suite('simulate nm-dispatcher: /etc and /usr/lib merged by name', () => {
  test("either tree given, both run in one name order: /etc's name wins, a /etc link to /dev/null masks /usr/lib's", async () => {
    const root = path.join(box.dir, `mirror${layouts++}`);
    const etc = path.join(root, 'etc/NetworkManager/dispatcher.d');
    const lib = path.join(root, 'usr/lib/NetworkManager/dispatcher.d');
    for (const d of [etc, lib]) fs.mkdirSync(d, { recursive: true });
    put(lib, '10-lib', ['#!/bin/sh', 'echo "lib $2"']);
    put(lib, '20-both', ['#!/bin/sh', 'echo "lib copy"']);
    put(etc, '20-both', ['#!/bin/sh', 'echo "etc copy"']);
    put(lib, '30-masked', ['#!/bin/sh', 'echo masked']);
    fs.symlinkSync('/dev/null', path.join(etc, '30-masked'));
    put(etc, '40-etc', ['#!/bin/sh', 'exit 2']);
    for (const given of [etc, lib]) {
      const report = await simulate(['up'], given);
      assert.deepEqual(
        runs(report).map((r) => [r.label, r.stdout]),
        [
          ['up: 10-lib', 'lib up\n'],
          ['up: 20-both', 'etc copy\n'],
          ['up: 40-etc', ''],
        ],
      );
      assert.equal(runs(report)[0].script, path.join(lib, '10-lib'));
      const skipped = Object.fromEntries(report.skipped.map((x) => [x.label, x.reason]));
      assert.match(skipped['up: 20-both (/usr/lib)'], /hidden by \/etc's 20-both, which runs instead/);
      assert.match(skipped['up: 30-masked (/usr/lib)'], /masks it \(a link to \/dev\/null\)/);
      assert.match(skipped['up: 30-masked'], /link to \/dev\/null/);
      assert.ok(
        report.notes.some((n) => /^Merged with .* by name, as NetworkManager merges/.test(n)),
        report.notes.join('\n'),
      );
      assert.ok(runs(report)[2].warnings.some((w) => w.includes("Script '/etc/NetworkManager/dispatcher.d/40-etc' exited with status 2")));
    }
  });
});

suite('simulate nm-dispatcher: no-wait.d and the timeout', () => {
  test('an action with only no-wait scripts holds nothing back: the next action runs while its script still waits for it', async () => {
    const { dir, scratch } = layout();
    const flag = path.join(scratch, 'pre-down-ran');
    // Only pre-down's script makes the flag: a simulation that waited for this script would wait until its timeout.
    put(dir, 'no-wait.d/10-watch', ['#!/bin/sh', `while [ ! -e '${flag}' ]; do sleep 0.05; done`, 'echo "saw pre-down after $2"']);
    fs.symlinkSync('no-wait.d/10-watch', path.join(dir, '10-watch'));
    put(dir, 'pre-down.d/20-mark', ['#!/bin/sh', `touch '${flag}'`]);
    const report = await simulate(['vpn-up', 'pre-down'], dir, { timeoutMs: 30_000 });
    assert.deepEqual(labels(report), ['vpn-up: 10-watch', 'pre-down: 20-mark']);
    const watch = runs(report)[0];
    assert.equal(watch.timedOut, false, 'it was not waited for');
    assert.equal(watch.stdout, 'saw pre-down after vpn-up\n');
    assert.equal(watch.hook, 'no-wait.d');
    assert.ok(watch.warnings.some((w) => w.startsWith('no-wait: started at once')));
    assert.equal(watch.script, path.join(dir, '10-watch'), 'run through its link in dispatcher.d, as NetworkManager does');
  });

  test("an action's waited-for scripts start only once its no-wait scripts have ended (nm-dispatcher.c)", async () => {
    const { dir, scratch } = layout();
    const log = path.join(scratch, 'log');
    put(dir, 'no-wait.d/50-bg', ['#!/bin/sh', 'sleep 0.3', `echo bg >> '${log}'`]);
    fs.symlinkSync('no-wait.d/50-bg', path.join(dir, '50-bg'));
    put(dir, '10-fg', ['#!/bin/sh', `echo fg >> '${log}'`]);
    const report = await simulate(['up'], dir);
    assert.deepEqual(labels(report), ['up: 50-bg', 'up: 10-fg']);
    assert.equal(fs.readFileSync(log, 'utf8'), 'bg\nfg\n');
  });

  test('the CLI and the family commands start with 600 s, and the report states it; --timeout overrides', () => {
    const parse = (argv: string[]) =>
      nmCli.parse('nm-dispatcher', argv, (a, own) => {
        const fields: Record<string, unknown> = {};
        for (let i = 0; i < a.length; i += 2) {
          if (a[i] === '--timeout') fields.timeoutMs = Number(a[i + 1]) * 1000;
          else own[a[i]](a[i + 1], fields);
        }
        return { fields, json: false };
      }).request;
    assert.equal(parse(['vpn-up,vpn-down', '--dir', 'd']).timeoutMs, 600_000);
    assert.equal(parse(['vpn-up', '--dir', 'd', '--stack', 'ipv4']).stack, 'ipv4');
    assert.throws(() => parse(['vpn-up', '--dir', 'd', '--stack', 'ipv6']), /--stack is dual or ipv4, not 'ipv6'/);
    assert.equal(parse(['vpn-up', '--dir', 'd', '--timeout', '5']).timeoutMs, 5_000);
  });

  test("a script still running at the timeout is killed, and the warning names NetworkManager's 600 s", async () => {
    const { dir } = layout();
    put(dir, '10-hang', ['#!/bin/sh', 'sleep 30']);
    put(dir, '20-next', ['#!/bin/sh', 'echo next']);
    const report = await simulate(['up'], dir, { timeoutMs: 300, graceMs: 100 });
    const [hang, next] = runs(report);
    assert.equal(hang.timedOut, true);
    assert.ok(hang.warnings.some((w) => /killed, as NetworkManager kills a dispatcher script at its 600 s timeout/.test(w)));
    assert.equal(next.stdout, 'next\n', 'the next script runs after the kill');
    assert.ok(report.notes.some((n) => n === "Timeout: 0.3 s per script (NetworkManager's own is 600 s)."));
    const defaulted = await simulate(['down'], layout().dir);
    assert.ok(defaulted.notes.some((n) => n === "Timeout: 600 s per script (NetworkManager's own)."));
  });
});

suite('simulate nm-dispatcher in the sandbox', () => {
  test('vpn-up then vpn-down on the tunnel with its VPN address: the route a script forgot is named; the host is unchanged', async () => {
    const hostRoutes = fs.readFileSync('/proc/net/route', 'utf8');
    const { dir } = layout();
    put(dir, '10-addr', ['#!/bin/sh', '[ "$2" = vpn-up ] && /usr/sbin/ip -4 -o addr show dev "$1" | grep -o "inet [0-9./]*"', 'exit 0']);
    put(dir, '20-routes', [
      '#!/bin/sh',
      'case "$2" in',
      '  vpn-up) /usr/sbin/ip route add 10.20.0.0/16 dev "$1" ;;',
      '  vpn-down) echo bye ;;',
      'esac',
    ]);
    const report = await simulate(['vpn-up', 'vpn-down'], dir, { isolation: 'sandbox', interface: 'tun3' });
    assert.equal(report.isolation.mode, 'sandbox');
    assert.equal(runs(report)[0].stdout, 'inet 10.8.0.42/24\n', 'NetworkManager has set the tunnel up before vpn-up');
    assert.deepEqual(runs(report)[1].state?.diff, [{ kind: 'routes', change: 'added', item: '10.20.0.0/16 dev tun3 scope link' }]);
    assert.ok(
      report.notes.some((n) => /State NOT restored after vpn-up then vpn-down: route 10\.20\.0\.0\/16 dev tun3 scope link/.test(n)),
      report.notes.join('\n'),
    );
    assert.equal(fs.readFileSync('/proc/net/route', 'utf8'), hostRoutes);
    put(dir, '20-routes', [
      '#!/bin/sh',
      'case "$2" in',
      '  vpn-up) /usr/sbin/ip route add 10.20.0.0/16 dev "$1" ;;',
      '  vpn-down) /usr/sbin/ip route del 10.20.0.0/16 ;;',
      'esac',
    ]);
    const restored = await simulate(['vpn-up', 'vpn-down'], dir, { isolation: 'sandbox', interface: 'tun3' });
    assert.ok(
      restored.notes.includes('State restored: the state after vpn-down equals the state before vpn-up.'),
      restored.notes.join('\n'),
    );
  });
});
