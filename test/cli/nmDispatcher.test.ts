// The NetworkManager dispatcher family through the CLI, as a CI job uses it: lint of the example and
// of a layout NetworkManager would refuse, and `hooksmith simulate nm-dispatcher ACTIONS --dir DIR`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { SimulationReport } from '../../server/src/protocol';
import { cliWorkspace, jsonOf, repoRoot } from '../helpers/cli';

const example = path.join(repoRoot, 'examples/nm-dispatcher');
const { dir: work, write, run: hooksmith } = cliWorkspace('hooksmith-cli-nm-');

suite('hooksmith and the NetworkManager dispatcher', () => {
  test('lint: the example (a script with an action case, a pre-down.d script, a no-wait.d script and its link) has no problems', () => {
    const r = hooksmith('lint', example, '--shellcheck', 'off');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems in 4 hooks/);
  });

  test('lint: a backup name, a world-writable script and one with no action test, each at its line, gcc format', () => {
    const dir = path.join(work, 'broken/NetworkManager/dispatcher.d');
    write('broken/NetworkManager/dispatcher.d/90-vpn~', ['#!/bin/sh', 'exit 0']);
    write('broken/NetworkManager/dispatcher.d/91-open', ['#!/bin/sh', 'exit 0'], 0o777);
    write('broken/NetworkManager/dispatcher.d/92-all', ['#!/bin/sh', 'logger "$1"', 'ip route add 10.20.0.0/16 dev "$1"']);
    const r = hooksmith('lint', dir, '--shellcheck', 'off', '--format', 'gcc');
    assert.equal(r.status, 0, 'warnings only: exit 0');
    const lines = r.stdout.trim().split('\n').sort();
    assert.deepEqual(
      lines.map((l) => l.replace(/ warning: .*\[(HS\d+)\]$/, ' $1').replace(dir + '/', '')),
      ['90-vpn~:1:1: HS700', '91-open:1:1: HS702', '92-all:3:1: HS707'],
      r.stdout,
    );
  });

  test('simulate: vpn-up then vpn-down on the example, --json: the scripts, the skipped none, the 600 s timeout note', () => {
    const r = hooksmith(
      'simulate',
      'nm-dispatcher',
      'vpn-up,vpn-pre-down,vpn-down',
      '--dir',
      path.join(example, 'NetworkManager/dispatcher.d'),
      '--interface',
      'tun0',
      '--isolation',
      'shims',
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const report = jsonOf<SimulationReport>(r);
    assert.equal(report.kind, 'nm-dispatcher');
    assert.deepEqual(
      report.runs.map((x) => x.label),
      [
        'vpn-up: 50-corp-vpn-sync',
        'vpn-up: 90-corp-vpn',
        'vpn-pre-down: 10-corp-vpn-unmount',
        'vpn-down: 50-corp-vpn-sync',
        'vpn-down: 90-corp-vpn',
      ],
    );
    const up = report.runs[1];
    assert.deepEqual(
      up.commands.map((c) => c.argv.join(' ')),
      ['ip route add 10.20.0.0/16 dev tun0', 'iptables -I FORWARD -i tun0 -d 192.168.1.0/24 -j REJECT'],
    );
    assert.ok(report.notes.includes("Timeout: 600 s per script (NetworkManager's own)."), report.notes.join('\n'));
  });

  test('simulate: text report names a refused script with the log line; usage errors exit 2', () => {
    const dir = path.join(work, 'refused/NetworkManager/dispatcher.d');
    fs.chownSync(write('refused/NetworkManager/dispatcher.d/10-mine', ['#!/bin/sh', 'echo hi']), 1000, 1000);
    const r = hooksmith('simulate', 'nm-dispatcher', 'up', '--dir', dir, '--isolation', 'shims');
    assert.ok(
      r.stdout.includes(
        `up: 10-mine: not run. NetworkManager refuses 10-mine and logs "find-scripts: Cannot execute ` +
          `'/etc/NetworkManager/dispatcher.d/10-mine': not owned by root."`,
      ),
      r.stdout,
    );
    assert.equal(r.status, 1, 'nothing ran');
    const bad = hooksmith('simulate', 'nm-dispatcher', 'vpn-upp', '--dir', dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown action 'vpn-upp'/);
    const noDir = hooksmith('simulate', 'nm-dispatcher', 'up');
    assert.equal(noDir.status, 2);
    assert.match(noDir.stderr, /needs --dir DIR/);
    const badIface = hooksmith('simulate', 'nm-dispatcher', 'up', '--dir', dir, '--interface', 'a/b');
    assert.equal(badIface.status, 2);
  });

  test('test: the example hook tests pass; a spec expecting a removal vpn-down never does fails at that action', () => {
    const r = hooksmith('test', example);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 test\(s\): 2 passed, 0 failed/);
    write('spec/NetworkManager/dispatcher.d/90-vpn', [
      '#!/bin/sh',
      'case "$2" in',
      '  vpn-up) ip route add 10.30.0.0/16 dev "$1" ;;',
      'esac',
    ]);
    fs.writeFileSync(
      path.join(work, 'spec/vpn.hooktest.yaml'),
      [
        'tests:',
        '  - name: vpn-down removes the route',
        '    family: nm-dispatcher',
        '    dir: NetworkManager/dispatcher.d',
        '    events: [vpn-up, vpn-down]',
        '    isolation: shims',
        '    expect:',
        '      vpn-up: { commands: { contains: [ip route add 10.30.0.0/16 dev tun0] } }',
        '      vpn-down: { commands: { contains: [ip route del 10.30.0.0/16] } }',
        '',
      ].join('\n'),
    );
    const failed = hooksmith('test', path.join(work, 'spec'));
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /FAIL\s+vpn-down removes the route/);
    assert.match(failed.stdout, /vpn-down: /);
  });

  test('lint: a script masked by a link to /dev/null, as NetworkManager packages mask them, is skipped, not "not read"', () => {
    const dir = path.join(work, 'masked/NetworkManager/dispatcher.d');
    write('masked/NetworkManager/dispatcher.d/10-mine', ['#!/bin/sh', 'case "$2" in up) logger up ;; esac']);
    fs.symlinkSync('/dev/null', path.join(dir, '20-chrony'));
    fs.symlinkSync('/dev/zero', path.join(dir, '30-zero'));
    const r = hooksmith('lint', dir, '--shellcheck', 'off');
    assert.match(r.stdout, /0 problems in 1 hook; 1 path not read/, r.stdout);
    assert.match(r.stderr, /cannot read .*30-zero: a character device/);
    assert.doesNotMatch(r.stderr, /20-chrony/);
  });
});
