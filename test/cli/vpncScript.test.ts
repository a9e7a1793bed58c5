// The vpnc-script family through the CLI, as a CI job uses it: lint of the example and of a broken
// layout, and `hooksmith simulate vpnc-script REASONS --script FILE | --hooks-dir DIR`.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { SimulationReport } from '../../server/src/protocol';
import { cliWorkspace, jsonOf, repoRoot } from '../helpers/cli';

const example = path.join(repoRoot, 'examples/vpnc-script');
const { dir: work, write, run: hooksmith } = cliWorkspace('hooksmith-cli-vpnc-');

suite('hooksmith and vpnc-script', () => {
  test('lint: the example (a script named by its unit, two hook files) has no problems', () => {
    const r = hooksmith('lint', example, '--shellcheck', 'off');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems in 3 hooks/);
  });

  test('lint: a script with an old dispatch and a hook folder with exit, each at its line, exit 1', () => {
    const dir = path.join(work, 'broken');
    write('broken/vpnc/vpnc-script', ['#!/bin/sh', 'case "$reason" in', '  connect|disconnect) ;;', '  *) exit 1 ;;', 'esac']);
    write('broken/vpnc/connect.d/10-office', ['[ -n "$TUNDEV" ] || exit 0'], 0o644);
    const r = hooksmith('lint', dir, '--shellcheck', 'off', '--format', 'gcc');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /vpnc\/vpnc-script:2:1: warning: This case on \$reason has no branch for pre-init, attempt-reconnect, reconnect: .* \[HS550\]/,
    );
    assert.match(r.stdout, /vpnc\/connect\.d\/10-office:1:21: error: exit here ends the whole vpnc-script, .* \[HS552\]/);
  });

  test('lint: scripts named by launchers in other folders (relative to the launcher, or through --server-path) are vpnc-scripts', () => {
    const dispatch = ['#!/bin/sh', 'case "$reason" in', '  pre-init|connect|disconnect) ;;', '  *) exit 1 ;;', 'esac'];
    write(
      'apart/deploy/systemd/office-vpn.service',
      ['[Service]', 'ExecStart=/usr/sbin/openconnect -s /etc/openconnect/office vpn.example.com'],
      0o644,
    );
    write('apart/bin/start-openconnect', ['#!/bin/sh', 'exec openconnect --script=../scripts/lab "$@"']);
    write('apart/scripts/office', dispatch);
    write('apart/scripts/lab', dispatch);
    const mapped = hooksmith('lint', 'apart', '--shellcheck', 'off', '--format', 'gcc', '--server-path', '/etc/openconnect=apart/scripts');
    assert.equal(mapped.status, 0, mapped.stdout + mapped.stderr);
    assert.deepEqual(
      mapped.stdout.match(/^\S+:\d+:\d+: warning: .*\[HS550\]$/gm)?.map((l) => l.split(': ')[0]),
      ['apart/scripts/lab:2:1', 'apart/scripts/office:2:1'],
    );
    const unmapped = hooksmith('lint', 'apart', '--shellcheck', 'off', '--format', 'gcc');
    assert.deepEqual(
      unmapped.stdout.match(/^\S+:\d+:\d+: warning: .*\[HS550\]$/gm)?.map((l) => l.split(': ')[0]),
      ['apart/scripts/lab:2:1'],
      'without the mapping, /etc/openconnect/office is not in the workspace',
    );
  });

  test('simulate: a session of the example script, --json; in the sandbox the state is restored', () => {
    const r = hooksmith(
      'simulate',
      'vpnc-script',
      'pre-init,connect,attempt-reconnect,reconnect,disconnect',
      '--script',
      path.join(example, 'split-routes'),
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const report = jsonOf<SimulationReport>(r);
    assert.equal(report.kind, 'vpnc-script');
    assert.deepEqual(
      report.runs.map((x) => [x.label, x.exitCode]),
      [
        ['pre-init', 0],
        ['connect', 0],
        ['attempt-reconnect', 0],
        ['reconnect', 0],
        ['disconnect', 0],
      ],
    );
    const connect = report.runs[1];
    assert.deepEqual(
      connect.commands.map((c) => c.argv.join(' ')),
      [
        'ip link set dev tun0 up mtu 1406',
        'ip addr add 10.8.0.42/32 peer 10.8.0.42 dev tun0',
        'ip route add 10.20.0.0/16 dev tun0',
        'ip route add 172.16.0.0/12 dev tun0',
      ],
    );
    // Its ip calls really ran in the sandbox: routes and the address are undone on disconnect, and the MTU that connect set
    // on tun0 goes with the device, which the sandbox removes after disconnect as openconnect does.
    if (report.isolation.mode === 'sandbox')
      assert.ok(
        report.notes.includes('State restored: the state after disconnect equals the state before connect.'),
        report.notes.join('\n'),
      );
  });

  test("simulate --hooks-dir: the example's hook folders, text output; a non-zero exit is reported as logged only, exit 1", () => {
    const ok = hooksmith('simulate', 'vpnc-script', 'connect,disconnect', '--hooks-dir', path.join(example, 'vpnc'));
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /iptables -I OUTPUT -d 10\.20\.0\.0\/16 '!' -o tun0 -j REJECT/);
    assert.match(ok.stdout, /connect sources, in this order: connect\.d\/50-block-lan\./);
    const failing = write('fails/vpnc-script', ['#!/bin/sh', 'exit 2']);
    const r = hooksmith('simulate', 'vpnc-script', 'connect', '--script', failing);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Exit status 2: openconnect only logs it/);
  });

  test('usage errors exit 2 and say what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['simulate', 'vpnc-script', '--script', 'x'], /needs a list of reasons/],
      [
        ['simulate', 'vpnc-script', 'connect,up', '--script', 'x'],
        /Unknown reason 'up': use pre-init, connect, attempt-reconnect, reconnect, disconnect/,
      ],
      [['simulate', 'vpnc-script', 'connect'], /needs --script FILE or --hooks-dir DIR/],
      [['simulate', 'vpnc-script', 'connect', '--script', 'a', '--hooks-dir', 'b'], /one of them/],
    ];
    for (const [args, message] of cases) {
      const r = hooksmith(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    const missing = hooksmith('simulate', 'vpnc-script', 'connect', '--hooks-dir', path.join(work, 'nowhere'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /does not exist or is not a folder/);
    assert.match(
      hooksmith('simulate', '--help').stdout,
      /hooksmith simulate vpnc-script REASON,REASON\.\.\. \(--script FILE \| --hooks-dir DIR\)/,
    );
  });
});
