import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { cliWorkspace, jsonOf, repoRoot, runCli } from '../helpers/cli';

const { write, run } = cliWorkspace('hooksmith-cli-openvpn-');

// A client config beside a wg-quick config (both *.conf): only the OpenVPN one is read as OpenVPN's.
write(
  'vpn/client.conf',
  'client\ndev tun\nremote vpn.example.com 1194\nuser nobody\ngroup nogroup\nscript-security 2\n' +
    'up "updown.sh lab"\ndown "updown.sh lab"\npersist-tunn\n',
  0o644,
);
write(
  'vpn/updown.sh',
  '#!/bin/sh\ncase "$script_type" in\nup) ip route add 10.20.0.0/16 dev "$2" ;;\ndown) ip route del 10.20.0.0/16 dev "$2" ;;\nesac\n' +
    'echo "$1 $*"\n',
);
write('vpn/wg0.conf', '[Interface]\nAddress = 10.9.0.1/24\nPostUp = true\n', 0o600);

suite('hooksmith lint and simulate with OpenVPN', () => {
  test('lint of a folder: the config gets its findings (down as nobody, a misspelt option), the script it names is linted', () => {
    const r = run('lint', '--shellcheck', 'off', 'vpn');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /vpn\/client\.conf:8:1: warning HS603 down runs after OpenVPN has dropped its privileges to user nobody/);
    assert.match(r.stdout, /vpn\/client\.conf:9:1: warning HS605 OpenVPN has no option "persist-tunn": did you mean persist-tun\?/);
    assert.doesNotMatch(r.stdout, /wg0\.conf/, "wg0.conf is wg-quick's, and clean");
    assert.match(r.stdout, /in 1 hook and 2 config files/);
  });

  test("simulate openvpn up,down --config: OpenVPN's arguments after the user's, in text and JSON", () => {
    const r = run('simulate', 'openvpn', 'up,down', '--config', 'vpn/client.conf', '--isolation', 'shims');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /would run:\n\s+ip route add 10\.20\.0\.0\/16 dev tun0/);
    assert.match(r.stdout, /OpenVPN runs down as nobody \(after the privilege drop\); without a sandbox/);
    const json = run('simulate', 'openvpn', 'up', '--config', 'vpn/client.conf', '--isolation', 'shims', '--json');
    const report = jsonOf<{ kind: string; runs: { argv: string[]; stdout: string; env: Record<string, string> }[] }>(json);
    assert.equal(report.kind, 'openvpn');
    assert.deepEqual(report.runs[0].argv, ['lab', 'tun0', '1500', '0', '10.8.0.2', '10.8.0.1', 'init']);
    assert.equal(report.runs[0].env.script_type, 'up');
    assert.equal(report.runs[0].env.script_context, 'init');
  });

  test('--script FILE --type EVENT runs one event; user-pass-verify is accepted for auth-user-pass-verify', () => {
    write('auth.sh', '#!/bin/sh\necho "$script_type"\nexit 0\n');
    const r = run('simulate', 'openvpn', '--script', 'auth.sh', '--type', 'user-pass-verify', '--isolation', 'shims', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = jsonOf<{ runs: { label: string; stdout: string }[] }>(r);
    assert.deepEqual(
      report.runs.map((x) => [x.label, x.stdout]),
      [['auth-user-pass-verify: user accepted', 'user-pass-verify\n']],
    );
  });

  test('hook tests take the openvpn family: the example spec passes (up/down routes, learn-address add and delete)', () => {
    const r = runCli(['test', 'examples/openvpn'], { cwd: repoRoot, timeoutMs: 120_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 test\(s\): 3 passed, 0 failed/);
  });

  test('--learn-address picks the operations, restart is an event, --tls-chain gives one tls-verify run per certificate', () => {
    write('learn.sh', '#!/bin/sh\necho "$*"\nexit 0\n');
    const learn = run('simulate', 'openvpn', '--script', 'learn.sh', '--type', 'learn-address', '--learn-address', 'add,delete', '--json');
    assert.equal(learn.status, 0, learn.stderr);
    const runs = (JSON.parse(learn.stdout) as { runs: { label: string; stdout: string }[] }).runs;
    assert.deepEqual(
      runs.map((x) => [x.label, x.stdout]),
      [
        ['learn-address add', 'add 10.8.0.6 client1\n'],
        ['learn-address delete', 'delete 10.8.0.6\n'],
      ],
    );
    const chain = run('simulate', 'openvpn', 'tls-verify', '--script', 'learn.sh', '--tls-chain', 'CN=Root; CN=Sub; CN=client1', '--json');
    const tls = (JSON.parse(chain.stdout) as { runs: { stdout: string }[] }).runs;
    assert.deepEqual(
      tls.map((x) => x.stdout),
      ['2 CN=Root\n', '1 CN=Sub\n', '0 CN=client1\n'],
    );
    const restart = run('simulate', 'openvpn', 'restart', '--script', 'learn.sh', '--json');
    const again = (JSON.parse(restart.stdout) as { runs: { label: string }[] }).runs;
    assert.deepEqual(
      again.map((x) => x.label),
      ['down (restart, script_context=restart)', 'up (restart, script_context=restart)'],
    );
    const bad = run('simulate', 'openvpn', 'learn-address', '--script', 'learn.sh', '--learn-address', 'add,forget');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown learn-address operation 'forget': use add, update, delete/);
  });

  test('usage errors: an unknown event, no config or script', () => {
    const bad = run('simulate', 'openvpn', 'up,sideways', '--config', 'vpn/client.conf');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown OpenVPN event 'sideways'/);
    const none = run('simulate', 'openvpn', 'up');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /needs --config FILE or --script FILE/);
  });

  test("the example in the sandbox: up's route via the p2p peer works (the peer is reachable through tun0), down removes it", () => {
    const r = run(
      'simulate',
      'openvpn',
      'up,down',
      '--config',
      path.join(repoRoot, 'examples/openvpn/client.conf'),
      '--isolation',
      'sandbox',
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ip route add 10\.20\.0\.0\/16 via 10\.8\.0\.1 dev tun0 {2}\(ran in the sandbox: exit 0\)/);
    assert.match(r.stdout, /State restored: the state after down equals the state before up\./);
  });
});
