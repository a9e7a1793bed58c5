import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { OpenvpnRequest, OpenvpnRun } from '../../../../../server/src/families/openvpn/request';
import { simulateOpenvpn } from '../../../../../server/src/families/openvpn/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();

/** A project: client.conf (the lines given) and the scripts given beside it, executable. */
function project(name: string, conf: string[], scripts: Record<string, string[]>): string {
  const dir = path.join(box.dir, name);
  fs.mkdirSync(dir);
  for (const [file, lines] of Object.entries(scripts)) fs.writeFileSync(path.join(dir, file), lines.join('\n') + '\n', { mode: 0o755 });
  const config = path.join(dir, 'client.conf');
  fs.writeFileSync(config, ['client', 'dev tun', 'remote vpn.example.com 1194', ...conf, ''].join('\n'));
  return config;
}

const printArgs = ['#!/bin/sh', 'printf "%s|%s|%s|%s\\n" "$script_type" "$script_context" "$dev" "$*"', 'exit 0'];
const run = (req: Omit<OpenvpnRequest, 'kind'>) =>
  simulateOpenvpn({ kind: 'openvpn', isolation: 'shims', ...req } as OpenvpnRequest, { onSpawn: box.track });

suite('simulate openvpn: each directive run as OpenVPN runs it', () => {
  test("up then down: the directive's own words first, then OpenVPN's, with script_type and script_context=init", async () => {
    const config = project('updown', ['script-security 2', 'up "updown.sh lab \'two words\'"', 'down "updown.sh lab"'], {
      'updown.sh': printArgs,
    });
    const report = await run({ events: ['up', 'down'], config });
    const runs = report.runs as OpenvpnRun[];
    assert.deepEqual(
      runs.map((r) => r.stdout),
      ['up|init|tun0|lab two words tun0 1500 0 10.8.0.2 10.8.0.1 init\n', 'down|init|tun0|lab tun0 1500 0 10.8.0.2 10.8.0.1 init\n'],
    );
    assert.deepEqual(runs[0].argv, ['lab', 'two words', 'tun0', '1500', '0', '10.8.0.2', '10.8.0.1', 'init'], 'no shell: one argument');
    assert.equal(report.ok, true);
  });

  test('a failing up is fatal: OpenVPN stops, down is not run, and the simulation is not ok', async () => {
    const config = project('fatal', ['script-security 2', 'up up.sh', 'down down.sh'], {
      'up.sh': ['#!/bin/sh', 'exit 3'],
      'down.sh': printArgs,
    });
    const report = await run({ events: ['up', 'down'], config });
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['up: FATAL (exit 3): OpenVPN stops'],
    );
    assert.match(report.skipped[0].reason, /failing up script is fatal/);
    assert.equal(report.ok, false);
  });

  test('an up the dry run refused to run (a call the shims cannot catch) is not called a failure, and down waits for it', async () => {
    const config = project('unchecked', ['script-security 2', 'up up.sh', 'down down.sh'], {
      'up.sh': ['#!/bin/sh', '/sbin/ip route add 10.20.0.0/16 dev "$dev"'],
      'down.sh': printArgs,
    });
    const report = await run({ events: ['up', 'down'], config });
    assert.equal(report.runs[0].notRun?.reason, 'unintercepted');
    assert.deepEqual(
      report.skipped.map((s) => s.label),
      ['down'],
    );
    assert.doesNotMatch(report.skipped[0].reason, /up failed/);
    assert.match(report.skipped[0].reason, /up was not run in this simulation/);
    assert.equal(report.ok, false);
  });

  test('a failing route-pre-down is fatal too (it runs as up and down run): down never runs', async () => {
    const config = project('predown', ['script-security 2', 'up ok.sh', 'route-pre-down fail.sh', 'down ok.sh'], {
      'ok.sh': ['#!/bin/sh', 'exit 0'],
      'fail.sh': ['#!/bin/sh', 'exit 3'],
    });
    const report = await run({ events: ['up', 'route-pre-down', 'down'], config });
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['up', 'route-pre-down: FATAL (exit 3): OpenVPN stops'],
    );
    assert.match(report.skipped[0].reason, /failing route-pre-down script is fatal/);
    assert.equal(report.ok, false);
  });

  test("the down-root plugin runs its command at down, as root, with no arguments of OpenVPN's and no script_type", async () => {
    const plugin = 'plugin /usr/lib/openvpn/openvpn-plugin-down-root.so "cleanup.sh"';
    const config = project('downroot', ['user nobody', 'script-security 2', 'up updown.sh', plugin], {
      'updown.sh': printArgs,
      'cleanup.sh': ['#!/bin/sh', 'echo "[${script_type-unset}] $# $dev $(id -u)"'],
    });
    const report = await run({ events: ['up', 'down'], config });
    const runs = report.runs as OpenvpnRun[];
    assert.deepEqual(
      runs.map((r) => r.label),
      ['up', 'down (down-root plugin)'],
    );
    assert.equal(runs[1].stdout, `[unset] 0 tun0 ${process.getuid?.()}\n`);
    assert.equal(runs[1].runAs, undefined, 'the plugin runs it as root');
    assert.deepEqual(report.skipped, [], 'no "runs nothing for it"');
  });

  test("with the down-root plugin and a down line, down runs twice: the plugin's command as root, then the line's as nobody", async () => {
    const plugin = 'plugin /usr/lib/openvpn/openvpn-plugin-down-root.so "cleanup.sh"';
    const config = project('downroot-both', ['user nobody', 'script-security 2', 'up updown.sh', 'down updown.sh', plugin], {
      'updown.sh': printArgs,
      'cleanup.sh': ['#!/bin/sh', 'echo cleanup'],
    });
    const runs = (await run({ events: ['up', 'down'], config })).runs as OpenvpnRun[];
    assert.deepEqual(
      runs.map((r) => [r.label, r.runAs]),
      [
        ['up', undefined],
        ['down (down-root plugin)', undefined],
        ['down', 'nobody'],
      ],
    );
  });

  test('without script-security 2 OpenVPN refuses the script: nothing runs, and the report quotes its warning', async () => {
    const config = project('nosec', ['up up.sh'], { 'up.sh': printArgs });
    const report = await run({ events: ['up'], config });
    assert.equal(report.runs.length, 0);
    assert.match(report.skipped[0].reason, /script-security 1.*'--script-security 2' or higher/);
  });

  test('client-connect gets a file as its last argument and what it writes is reported; a refusal skips client-disconnect', async () => {
    const dir = path.join(box.dir, 'server');
    fs.mkdirSync(dir);
    const write = (f: string, lines: string[]) => fs.writeFileSync(path.join(dir, f), lines.join('\n') + '\n', { mode: 0o755 });
    write('cc.sh', ['#!/bin/sh', 'echo "ifconfig-push 10.8.0.50 255.255.255.0" > "$1"', 'echo "$script_type $common_name"', 'exit 0']);
    write('deny.sh', ['#!/bin/sh', 'exit 1']);
    write('cd.sh', printArgs);
    const config = path.join(dir, 'server.conf');
    const conf = (cc: string) =>
      fs.writeFileSync(
        config,
        `dev tun\nserver 10.8.0.0 255.255.255.0\nscript-security 2\nclient-connect ${cc}\nclient-disconnect cd.sh\n`,
      );
    conf('cc.sh');
    const ok = await run({ events: ['client-connect', 'client-disconnect'], config });
    const [cc, cd] = ok.runs as OpenvpnRun[];
    assert.equal(cc.label, 'client-connect: client accepted');
    assert.equal(cc.stdout, 'client-connect client1\n');
    assert.ok(
      cc.warnings.some((w) => /wrote 1 directive\(s\) for this client: ifconfig-push 10\.8\.0\.50/.test(w)),
      cc.warnings.join('\n'),
    );
    assert.equal(cd.stdout, 'client-disconnect|init|tun0|\n', 'client-disconnect gets no arguments');
    conf('deny.sh');
    const refused = await run({ events: ['client-connect', 'client-disconnect'], config });
    assert.deepEqual(
      refused.runs.map((r) => r.label),
      ['client-connect: client refused (exit 1)'],
    );
    assert.match(refused.skipped[0].reason, /only after a client-connect that succeeded/);
  });

  test('client-connect names its two files in the environment too; a 2 in the deferred file defers the client', async () => {
    const dir = path.join(box.dir, 'deferred');
    fs.mkdirSync(dir);
    const lines = ['#!/bin/sh', '[ "$client_connect_config_file" = "$1" ] && echo same', 'echo 2 > "$client_connect_deferred_file"'];
    fs.writeFileSync(path.join(dir, 'cc.sh'), lines.join('\n') + '\n', { mode: 0o755 });
    const config = path.join(dir, 'server.conf');
    fs.writeFileSync(config, 'dev tun\nserver 10.8.0.0 255.255.255.0\nscript-security 2\nclient-connect cc.sh\n');
    const report = await run({ events: ['client-connect'], config });
    const [cc] = report.runs as OpenvpnRun[];
    assert.equal(cc.stdout, 'same\n');
    assert.equal(cc.label, 'client-connect: deferred');
    assert.ok(
      cc.warnings.some((w) => /defers the client until that file holds 1/.test(w)),
      cc.warnings.join('\n'),
    );
  });

  test('before authentication there is no trusted_ip and no tunnel address yet: tls-verify and auth get untrusted_ip', async () => {
    const seen = 'echo "$script_type ${trusted_ip-none} ${untrusted_ip-none} ${ifconfig_pool_remote_ip-none} ${username-none}"';
    const script = box.hook('who.sh', ['#!/bin/sh', seen]);
    const report = await run({ events: ['tls-verify', 'auth-user-pass-verify', 'client-connect'], script, tlsChain: ['CN=client1'] });
    assert.deepEqual(
      report.runs.map((r) => r.stdout),
      [
        'tls-verify none 198.51.100.23 none none\n',
        'user-pass-verify none 198.51.100.23 none jdoe\n',
        'client-connect 198.51.100.23 none 10.8.0.6 jdoe\n',
      ],
    );
  });

  test('auth-user-pass-verify via-file: script_type is user-pass-verify (as the source sends it), the credentials last', async () => {
    const dir = path.join(box.dir, 'auth');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'auth.sh'), '#!/bin/sh\necho "$script_type"\nhead -n 1 "$1"\nexit 0\n', { mode: 0o755 });
    const config = path.join(dir, 'server.conf');
    fs.writeFileSync(config, 'dev tun\nserver 10.8.0.0 255.255.255.0\nscript-security 2\nauth-user-pass-verify auth.sh via-file\n');
    const report = await run({ events: ['auth-user-pass-verify'], config });
    assert.equal(report.runs[0].stdout, 'user-pass-verify\njdoe\n');
    assert.equal(report.runs[0].label, 'auth-user-pass-verify: user accepted');
    assert.ok(report.notes.some((n) => /man page says auth-user-pass-verify/.test(n)));
  });

  test("a server refusing one client (TLS, or its password) runs none of that client's scripts, but its own up and down", async () => {
    const dir = path.join(box.dir, 'refusing');
    fs.mkdirSync(dir);
    const write = (f: string, lines: string[]) => fs.writeFileSync(path.join(dir, f), lines.join('\n') + '\n', { mode: 0o755 });
    write('ok.sh', ['#!/bin/sh', 'exit 0']);
    write('no.sh', ['#!/bin/sh', 'exit 1']);
    const config = path.join(dir, 'server.conf');
    const conf = (verify: string, auth: string) =>
      fs.writeFileSync(
        config,
        [
          'dev tun',
          'server 10.8.0.0 255.255.255.0',
          'script-security 2',
          'up ok.sh',
          'down ok.sh',
          `tls-verify ${verify}`,
          `auth-user-pass-verify ${auth} via-env`,
          'client-connect ok.sh',
          'learn-address ok.sh',
          '',
        ].join('\n'),
      );
    const events = ['up', 'tls-verify', 'auth-user-pass-verify', 'client-connect', 'learn-address', 'down'] as const;
    conf('ok.sh', 'no.sh');
    const rejected = await run({ events: [...events], config, tlsChain: ['CN=client1'] });
    assert.deepEqual(
      rejected.runs.map((r) => r.label),
      ['up', 'tls-verify depth 0: certificate accepted', 'auth-user-pass-verify: user rejected (exit 1)', 'down'],
    );
    assert.deepEqual(
      rejected.skipped.map((s) => [s.label, /rejected the user/.test(s.reason)]),
      [
        ['client-connect', true],
        ['learn-address', true],
      ],
    );
    conf('no.sh', 'ok.sh');
    const refused = await run({ events: [...events], config, tlsChain: ['CN=client1'] });
    assert.deepEqual(
      refused.runs.map((r) => r.label),
      ['up', 'tls-verify depth 0: TLS handshake refused (exit 1)', 'down'],
    );
    assert.deepEqual(
      refused.skipped.map((s) => s.label),
      ['auth-user-pass-verify', 'client-connect', 'learn-address'],
    );
  });

  test('ipchange gets the address and the port in one argument, as socket.c formats them', async () => {
    const script = box.hook('ipchange.sh', ['#!/bin/sh', 'echo "$#|$1|$trusted_ip|$trusted_port"']);
    const report = await run({ events: ['ipchange'], script });
    assert.equal(report.runs[0].stdout, '1|198.51.100.23 51820|198.51.100.23|51820\n');
  });

  test("a client's first ipchange runs before the privilege drop (it waits for the connection); a server's after it", async () => {
    const scripts = { 'ip.sh': ['#!/bin/sh', 'exit 0'] };
    const client = project('ipchange-client', ['user nobody', 'script-security 2', 'ipchange ip.sh'], scripts);
    const [first] = (await run({ events: ['ipchange'], config: client })).runs as OpenvpnRun[];
    assert.equal(first.runAs, undefined);
    const dir = path.join(box.dir, 'ipchange-p2p');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'ip.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const p2p = path.join(dir, 'p2p.conf');
    fs.writeFileSync(p2p, 'dev tun\nremote peer.example 1194\nsecret static.key\nuser nobody\nscript-security 2\nipchange ip.sh\n');
    const [later] = (await run({ events: ['ipchange'], config: p2p })).runs as OpenvpnRun[];
    assert.equal(later.runAs, 'nobody');
  });

  test('--script FILE runs one file for the event with OpenVPN arguments (learn-address: op addr cn)', async () => {
    const script = box.hook('learn.sh', printArgs);
    const report = await run({ events: ['learn-address'], script });
    assert.equal(report.runs[0].stdout, 'learn-address|init|tun0|add 10.8.0.6 client1\n');
  });

  test('in the sandbox, down after `user nobody` runs as uid 65534: deleting the route up added fails, as the verdict says', async () => {
    const config = project('dropped', ['user nobody', 'group nogroup', 'script-security 2', 'up up.sh', 'down down.sh'], {
      'up.sh': ['#!/bin/sh', 'id -u', '/usr/sbin/ip route add 10.20.0.0/16 dev "$1"'],
      'down.sh': ['#!/bin/sh', 'id -u', '/usr/sbin/ip route del 10.20.0.0/16 dev "$1"'],
    });
    const report = await simulateOpenvpn({ kind: 'openvpn', events: ['up', 'down'], config, isolation: 'sandbox' }, { onSpawn: box.track });
    const [up, down] = report.runs as OpenvpnRun[];
    assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
    assert.equal(up.stdout, '0\n');
    assert.equal(up.exitCode, 0, up.stderr);
    assert.equal(down.stdout, '65534\n');
    assert.equal(down.runAs, 'nobody');
    assert.notEqual(down.exitCode, 0);
    assert.match(down.stderr, /Operation not permitted/);
    assert.match(down.label, /down: FATAL/);
    assert.ok(
      report.notes.some((n) => /State NOT restored after up then down: route 10\.20\.0\.0\/16 dev tun0/.test(n)),
      report.notes.join('\n'),
    );
    assert.equal(report.ok, false);
  });

  // As real root too: the dropped user is then this machine's uid 65534, not a nested user namespace's (which is still root's).
  test('in the sandbox, down after `user nobody` cannot write root-owned files: its write to /etc/resolv.conf fails', async () => {
    const config = project('resolv', ['user nobody', 'group nogroup', 'script-security 2', 'up up.sh', 'down down.sh'], {
      'up.sh': ['#!/bin/sh', 'echo "nameserver 10.20.0.53" > /etc/resolv.conf && echo wrote'],
      'down.sh': [
        '#!/bin/sh',
        'id -u',
        'grep ^CapEff /proc/self/status',
        'ip route del 10.99.0.0/16 dev "$1"',
        'echo "nameserver 192.0.2.1" > /etc/resolv.conf && echo wrote',
      ],
    });
    const before = fs.readFileSync('/etc/resolv.conf', 'utf8');
    const report = await simulateOpenvpn({ kind: 'openvpn', events: ['up', 'down'], config, isolation: 'sandbox' }, { onSpawn: box.track });
    const [up, down] = report.runs as OpenvpnRun[];
    assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
    assert.equal(up.stdout, 'wrote\n', up.stderr);
    assert.equal(down.stdout, '65534\nCapEff:\t0000000000000000\n', down.stderr);
    assert.match(down.stderr, /resolv\.conf: Permission denied/);
    assert.notEqual(down.exitCode, 0);
    // Its shimmed call is recorded, and ran as the dropped user: refused.
    assert.deepEqual(
      down.commands.map((c) => c.argv),
      [['ip', 'route', 'del', '10.99.0.0/16', 'dev', 'tun0']],
    );
    assert.match(down.stderr, /Operation not permitted/);
    assert.equal(fs.readFileSync('/etc/resolv.conf', 'utf8'), before, "this machine's file is untouched");
  });
});

suite('simulate openvpn: tls-verify per depth, learn-address per operation, restarts', () => {
  const tlsScript = [
    '#!/bin/sh',
    'echo "$1|$2|${tls_id_1-}|${tls_id_0-unset}|${X509_0_CN-unset}|$X509_1_CN|$tls_serial_1"',
    '[ "$1" = 0 ] && [ "$X509_0_CN" != client1 ] && exit 1',
    'exit 0',
  ];

  test(
    'tls-verify runs once per certificate, the CA (depth 1) before the peer (depth 0), with the variables of each ' + 'depth so far',
    async () => {
      const script = box.hook('verify.sh', tlsScript);
      const report = await run({ events: ['tls-verify'], script });
      const runs = report.runs as OpenvpnRun[];
      assert.deepEqual(
        runs.map((r) => [r.label, r.stdout]),
        [
          [
            'tls-verify depth 1: certificate accepted',
            '1|C=US, O=Example, CN=Example CA|C=US, O=Example, CN=Example CA|unset|unset|Example CA|4096\n',
          ],
          [
            'tls-verify depth 0: certificate accepted',
            '0|C=US, O=Example, CN=client1|C=US, O=Example, CN=Example CA|C=US, O=Example, CN=client1|client1|Example CA|4096\n',
          ],
        ],
      );
      assert.deepEqual(
        runs.map((r) => r.variant),
        ['depth 1', 'depth 0'],
      );
      assert.equal(report.ok, true);
    },
  );

  test('a non-zero exit at a depth refuses the TLS handshake: no lower depth and no later script runs', async () => {
    const script = box.hook('verify2.sh', tlsScript);
    const chain = ['CN=Root CA', 'CN=Issuing CA', 'O=Elsewhere, CN=intruder'];
    const refused = await run({ events: ['tls-verify', 'client-connect'], script, tlsChain: chain });
    assert.deepEqual(
      refused.runs.map((r) => r.label),
      [
        'tls-verify depth 2: certificate accepted',
        'tls-verify depth 1: certificate accepted',
        'tls-verify depth 0: TLS handshake refused (exit 1)',
      ],
    );
    assert.match(refused.runs[2].stdout, /^0\|O=Elsewhere, CN=intruder\|CN=Issuing CA\|/);
    assert.deepEqual(
      refused.skipped.map((s) => [s.label, /refused the certificate at depth 0: the TLS handshake failed/.test(s.reason)]),
      [['client-connect', true]],
    );
    const deny = box.hook('deny-ca.sh', ['#!/bin/sh', '[ "$1" = 1 ] && exit 1', 'exit 0']);
    const atCa = await run({ events: ['tls-verify'], script: deny });
    assert.deepEqual(
      atCa.runs.map((r) => r.label),
      ['tls-verify depth 1: TLS handshake refused (exit 1)'],
    );
    assert.deepEqual(
      atCa.skipped.map((s) => s.label),
      ['tls-verify'],
      'depth 0 is never verified',
    );
  });

  test('learn-address with add, update and delete: op addr cn; on delete no cn, and no variable but script_type', async () => {
    const seen = 'echo "$#:$* ${script_type-unset} ${common_name-unset} ${ifconfig_pool_remote_ip-unset}"';
    const script = box.hook('learn2.sh', ['#!/bin/sh', seen, '[ "$1" = delete ] && exit 1', 'exit 0']);
    const report = await run({ events: ['learn-address'], script, learnAddressOps: ['add', 'update', 'delete'] });
    const runs = report.runs as OpenvpnRun[];
    assert.deepEqual(
      runs.map((r) => [r.label, r.stdout, r.variant]),
      [
        ['learn-address add', '3:add 10.8.0.6 client1 learn-address client1 10.8.0.6\n', 'add'],
        ['learn-address update', '3:update 10.8.0.6 client1 learn-address client1 10.8.0.6\n', 'update'],
        ['learn-address delete (exit 1, logged by OpenVPN)', '2:delete 10.8.0.6 learn-address unset unset\n', 'delete'],
      ],
    );
  });

  test('restart with persist-tun and up-restart: down then up again, script_context=restart, $6 restart, no route variables', async () => {
    const script = ['#!/bin/sh', 'echo "$script_type $6 $script_context ${signal-} ${route_network_1-none}"', 'exit 0'];
    const config = project('restart', ['script-security 2', 'persist-tun', 'up-restart', 'up updown.sh', 'down updown.sh'], {
      'updown.sh': script,
    });
    const report = await run({ events: ['up', 'restart', 'down'], config });
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.stdout]),
      [
        ['up', 'up init init  10.20.0.0\n'],
        ['down (restart, script_context=restart)', 'down restart restart sigusr1 10.20.0.0\n'],
        ['up (restart, script_context=restart)', 'up restart restart  none\n'],
        ['down', 'down init init sigterm 10.20.0.0\n'],
      ],
    );
    const plain = project('restart-plain', ['script-security 2', 'persist-tun', 'up updown.sh', 'down updown.sh'], { 'updown.sh': script });
    const none = await run({ events: ['restart'], config: plain });
    assert.equal(none.runs.length, 0);
    assert.match(none.skipped[0].reason, /persist-tun and no up-restart a restart keeps the tun device/);
  });

  test('restart without persist-tun: route-pre-down, down, up and route-up as on start-up (init); after `user nobody` no up', async () => {
    const script = ['#!/bin/sh', 'echo "$script_type $6 ${signal-}"', 'exit 0'];
    const directives = ['route-pre-down updown.sh', 'up updown.sh', 'route-up updown.sh', 'down updown.sh'];
    const open = project('reopen', ['script-security 2', ...directives], { 'updown.sh': script });
    const reopened = await run({ events: ['restart'], config: open });
    assert.deepEqual(
      reopened.runs.map((r) => r.stdout),
      ['route-pre-down init sigusr1\n', 'down init sigusr1\n', 'up init \n', 'route-up  \n'],
    );
    const dropped = project('reopen-nobody', ['script-security 2', 'user nobody', 'up updown.sh', 'down updown.sh'], {
      'updown.sh': script,
    });
    const failed = await run({ events: ['restart'], config: dropped });
    assert.deepEqual(
      failed.runs.map((r) => [r.stdout, (r as OpenvpnRun).runAs]),
      [['down init sigusr1\n', 'nobody']],
    );
    assert.match(failed.skipped[0].reason, /"ERROR: Cannot ioctl TUNSETIFF tun: Operation not permitted \(errno=1\)".*Add persist-tun/);
  });
});

test('with tls-export-cert, peer_cert names a real certificate per depth, whose subject and serial the variables give', async () => {
  const dir = path.join(box.dir, 'export');
  fs.mkdirSync(dir);
  const lines = [
    '#!/bin/sh',
    'echo "$1 $tls_serial_1 ${tls_serial_0-} $tls_digest_1"',
    'openssl x509 -in "$peer_cert" -noout -subject -serial -fingerprint',
    'echo "$tls_digest_sha256_1"',
    'openssl x509 -in "$peer_cert" -noout -fingerprint -sha256',
  ];
  fs.writeFileSync(path.join(dir, 'verify.sh'), lines.join('\n') + '\n', { mode: 0o755 });
  const config = path.join(dir, 'server.conf');
  fs.writeFileSync(config, 'dev tun\nserver 10.8.0.0 255.255.255.0\nscript-security 2\ntls-export-cert /var/tmp\ntls-verify verify.sh\n');
  const report = await run({ events: ['tls-verify'], config, allowUnintercepted: true });
  const [ca, peer] = report.runs as OpenvpnRun[];
  const [caLine, caSubject, caSerial, caPrint, caSha256, caPrint256] = ca.stdout.trim().split('\n');
  assert.match(caSubject, /^subject=C = US, O = Example, CN = Example CA$/, ca.stderr);
  assert.equal(caSerial, 'serial=1000');
  assert.equal(caLine, `1 4096  ${caPrint.replace(/^.*Fingerprint=/, '').toLowerCase()}`, 'tls_digest_1 is the real SHA-1 fingerprint');
  assert.equal(caSha256, caPrint256.replace(/^.*Fingerprint=/, '').toLowerCase(), 'tls_digest_sha256_1 is the real SHA-256 fingerprint');
  assert.match(peer.stdout, /^0 4096 4097 [0-9a-f:]{59}\nsubject=C = US, O = Example, CN = client1\nserial=1001\n/);
});

test(
  'in the sandbox after `user nobody`, client-connect (as uid 65534) writes the file OpenVPN gave it, and ' + 'via-file is readable',
  async () => {
    const dir = path.join(box.dir, 'server-nobody');
    fs.mkdirSync(dir);
    const write = (f: string, lines: string[]) => fs.writeFileSync(path.join(dir, f), lines.join('\n') + '\n', { mode: 0o755 });
    write('cc.sh', ['#!/bin/sh', 'id -u', 'echo "ifconfig-push 10.8.0.50 255.255.255.0" > "$1"']);
    write('auth.sh', ['#!/bin/sh', 'head -n 1 "$1"']);
    const config = path.join(dir, 'server.conf');
    const conf = 'dev tun\nserver 10.8.0.0 255.255.255.0\nuser nobody\ngroup nogroup\nscript-security 2\n';
    fs.writeFileSync(config, `${conf}client-connect cc.sh\nauth-user-pass-verify auth.sh via-file\n`);
    const report = await simulateOpenvpn(
      { kind: 'openvpn', events: ['auth-user-pass-verify', 'client-connect'], config, isolation: 'sandbox' },
      { onSpawn: box.track },
    );
    const [auth, cc] = report.runs as OpenvpnRun[];
    assert.equal(auth.stdout, 'jdoe\n', auth.stderr);
    assert.equal(cc.stdout, '65534\n', cc.stderr);
    assert.equal(cc.label, 'client-connect: client accepted');
    assert.ok(
      cc.warnings.some((w) => /wrote 1 directive\(s\) for this client: ifconfig-push 10\.8\.0\.50/.test(w)),
      cc.warnings.join('\n'),
    );
  },
);
