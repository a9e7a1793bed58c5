import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { cliWorkspace, jsonOf } from '../helpers/cli';

const { dir: work, write, run } = cliWorkspace('hooksmith-cli-ocserv-');

// A server's folder in a repository: the config names the scripts by their server paths; one lives
// elsewhere in the repository (found through --server-path), one has a name no family knows.
write(
  'vpn/ocserv.conf',
  'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/login-hook\ndisconnect-script = ' +
    '/opt/vpn/bin/logout-hook\n[vhost:b.example]\nhost-update-script = /etc/ocserv/x\n',
);
write('vpn/login-hook', '#!/bin/sh\niptables -A FORWARD -s "$IP_REMOTE" -j ACCEPT\nlogger "in: $USER_NAME"\n');
write('deploy/bin/logout-hook', '#!/bin/sh\niptables -D FORWARD -s "$IP_REMOTE" -j ACCEPT\n');

suite('hooksmith lint and simulate with ocserv', () => {
  test('lint of a folder: the config is linted, and the scripts it names are linted as ocserv scripts whatever their names', () => {
    const r = run('lint', '--shellcheck', 'off', '--server-path', '/opt/vpn/bin=deploy/bin', '--fail-on', 'warning', 'vpn', 'deploy');
    assert.equal(r.status, 1, r.stderr);
    const codes = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.replace(/:\d+:\d+: \w+ (HS\d+) .*/, ' $1'));
    assert.deepEqual(codes, [
      'vpn/login-hook HS521',
      'vpn/login-hook HS523',
      'vpn/ocserv.conf HS503',
      '3 problems (0 errors, 3 warnings, 0 notes) in 2 hooks and 1 config file',
    ]);
    assert.match(r.stdout, /vpn\/ocserv\.conf:6:1: warning HS503 host-update-script is ignored inside \[vhost:b\.example\]/);
  });

  test('without the mapping, the logout script is not found (HS504) and not linted', () => {
    const r = run('lint', '--shellcheck', 'off', 'vpn', 'deploy');
    assert.match(r.stdout, /vpn\/ocserv\.conf:4:21: warning HS504 \/opt\/vpn\/bin\/logout-hook is not in the workspace/);
    assert.match(r.stdout, /in 1 hook and 1 config file/);
  });

  test('simulate ocserv connect,disconnect --config: login accepted, then disconnect, in text and JSON', () => {
    const r = run('simulate', 'ocserv', 'connect,disconnect', '--config', 'vpn/ocserv.conf', '--isolation', 'shims');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /connect: login accepted {2}login-hook/);
    assert.match(r.stdout, /iptables -A FORWARD -s 192\.168\.100\.27 -j ACCEPT/);
    assert.match(r.stdout, /disconnect-script = \/opt\/vpn\/bin\/logout-hook, which is not in the workspace/);
    const json = JSON.parse(
      run('simulate', 'ocserv', 'connect', '--script', 'vpn/login-hook', '--ipv6-only', 'true', '--isolation', 'shims', '--json').stdout,
    );
    assert.equal(json.kind, 'ocserv');
    assert.equal(json.runs[0].env.IP_REMOTE, undefined);
    assert.equal(json.runs[0].env.OCSERV_ROUTES, 'fd00:10::/64 ');
  });

  test('simulate ocserv connect that refuses the login: reported as refused, and the summary does not say it exited 0', () => {
    write('vpn/refuse-hook', '#!/bin/sh\necho "no entry for $USERNAME"\nexit 1\n');
    const r = run('simulate', 'ocserv', 'connect,disconnect', '--script', 'vpn/refuse-hook', '--isolation', 'shims');
    assert.match(r.stdout, /connect: login refused \(exit 1\) {2}refuse-hook/);
    assert.match(r.stdout, /\ndisconnect: not run\. the connect script refused the login/);
    assert.match(r.stdout, /\nOK: 1 hook\(s\) ran; 1 exited non-zero, an answer its executor acts on \(see above\), not a failure\.\n$/);
    assert.doesNotMatch(r.stdout, /OK: 1 hook\(s\) exited 0/);
  });

  test('simulate --config with --server-path runs the mapped workspace file, as lint finds it', () => {
    const r = run(
      'simulate',
      'ocserv',
      'connect,disconnect',
      '--config',
      'vpn/ocserv.conf',
      '--server-path',
      '/opt/vpn/bin=deploy/bin',
      '--isolation',
      'shims',
      '--json',
    );
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const report = jsonOf<{
      runs: { label: string; script: string; commands: { argv: string[] }[] }[];
      skipped: unknown[];
    }>(r);
    assert.deepEqual(report.skipped, []);
    const disconnect = report.runs.find((x) => x.label === 'disconnect');
    assert.equal(disconnect?.script, path.join(work, 'deploy/bin/logout-hook'));
    assert.deepEqual(
      disconnect?.commands.map((c) => c.argv.join(' ')),
      ['iptables -D FORWARD -s 192.168.100.27 -j ACCEPT'],
    );
    assert.match(run('simulate', 'ocserv', 'connect', '--script', 'x', '--server-path', 'etc=y').stderr, /--server-path takes DIR=LOCAL/);
  });

  test('usage errors exit 2', () => {
    assert.match(run('simulate', 'ocserv', 'connect').stderr, /needs --config ocserv\.conf or --script FILE/);
    const bad = run('simulate', 'ocserv', 'connect,reconnect', '--script', 'x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown ocserv event 'reconnect': use connect, disconnect, host-update/);
  });
});
