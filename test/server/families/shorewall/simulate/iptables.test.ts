import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { simulationSandbox } from '../../../simulate/support';
import { confdir, runOf, simulate } from './support';

const box = simulationSandbox();

suite('simulateShorewall: run_iptables and iptables', () => {
  test('run_iptables and iptables are recorded as argv, odd arguments verbatim, never through a shell', async () => {
    const comment = `VPN "office" it's $(touch ${box.dir}/pwned) \`touch ${box.dir}/pwned2\` $HOME \\ end`;
    const dir = confdir(box, {
      start: [
        'run_iptables -t mangle -A PREROUTING -i tun0 -j MARK --set-mark 0x10',
        'run_iptables -A INPUT -m comment --comment "$RULE_COMMENT" -j ACCEPT',
        'iptables -t nat -N "$RULE_COMMENT"',
        'ip6tables -L',
      ],
    });
    const report = await simulate(box, dir, 'start', { env: { RULE_COMMENT: comment } });
    const start = runOf(report, 'start');
    assert.equal(start.exitCode, 0, start.stderr);
    assert.deepEqual(
      start.commands.map((c) => c.argv),
      [
        ['run_iptables', '-t', 'mangle', '-A', 'PREROUTING', '-i', 'tun0', '-j', 'MARK', '--set-mark', '0x10'],
        ['run_iptables', '-A', 'INPUT', '-m', 'comment', '--comment', comment, '-j', 'ACCEPT'],
        ['iptables', '-t', 'nat', '-N', comment],
        ['ip6tables', '-L'],
      ],
    );
    if (report.isolation.mode === 'sandbox') {
      // There iptables ran with the very argument: the comment is in the rule set; the chain name is too long for iptables.
      assert.deepEqual(
        start.commands.map((c) => c.sandbox),
        [0, 0, 2, 0].map((exitCode) => ({ ran: true, exitCode })),
      );
      assert.ok(
        start.state?.after.iptables?.some((l) => l.includes('--comment')),
        JSON.stringify(start.state?.after.iptables),
      );
    }
    assert.equal(fs.existsSync(path.join(box.dir, 'pwned')), false, '$(...) was not run');
    assert.equal(fs.existsSync(path.join(box.dir, 'pwned2')), false, 'backquotes were not run');
    // The real run_iptables is `$g_tool $@`: say that this argument would be split there.
    assert.deepEqual(start.warnings, [
      `run_iptables passes its arguments to iptables unquoted ($g_tool $@): an argument such as ` +
        `${JSON.stringify(comment)} is split into words (or globbed, or dropped when empty) by the real run_iptables. ` +
        `The commands above show the arguments as the hook passed them.`,
    ]);
    assert.equal(report.ok, true);
  });

  test('run_iptables in started or restored is reported as an error; in start it is not', async () => {
    const dir = confdir(box, {
      start: ['run_iptables -A INPUT -i tun0 -j ACCEPT'],
      started: ['run_iptables -A INPUT -i tun1 -j ACCEPT', 'run_iptables -A INPUT -i tun2 -j ACCEPT'],
      restored: ['vpn_rule'],
      'lib.private': ['vpn_rule() { run_iptables -A FORWARD -i tun0 -j ACCEPT; }'],
    });
    const start = await simulate(box, dir, 'start');
    assert.deepEqual(runOf(start, 'start').warnings, []);
    assert.deepEqual(runOf(start, 'started').warnings, [
      'run_iptables in started (2 calls) is an error: the firewall is already marked running here, and if the command ' +
        "failed run_iptables would stop it. Shorewall's documentation: run_iptables should not be called from started " +
        'or restored. Run iptables and check its status instead.',
    ]);
    assert.equal(runOf(start, 'started').exitCode, 0);
    assert.equal(start.ok, false);

    const restore = await simulate(box, dir, 'restore');
    assert.match(
      runOf(restore, 'restored').warnings[0],
      /^run_iptables in restored \(1 call\) is an error/,
      'caught through a lib.private function too',
    );
  });

  test("a call by absolute path is listed as not intercepted, with the hook's line", async () => {
    const dir = confdir(box, { stop: ['# stop', 'false && /sbin/iptables -F', 'return 0'] });
    const report = await simulate(box, dir, 'stop');
    assert.deepEqual(
      runOf(report, 'stop').notIntercepted.map((c) => [c.command, c.line, c.text]),
      [['/sbin/iptables', 2, '/sbin/iptables -F']],
    );
  });

  test("live: no shims; a failing run_iptables ends the script as Shorewall's would, and is explained", async () => {
    // A stand-in iptables that fails, first in PATH: the live run must call it (and never a real one).
    const bin = path.join(box.dir, 'fake-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'iptables'), '#!/bin/sh\necho "iptables: $*" >&2\nexit 1\n', { mode: 0o755 });
    const dir = confdir(box, { start: ['run_iptables -A INPUT -j ACCEPT', 'echo not reached'], started: ['echo started'] });
    const report = await simulate(box, dir, 'start', { live: true, env: { PATH: `${bin}:/usr/bin:/bin` } });
    const start = runOf(report, 'start');
    assert.equal(report.dryRun, false);
    assert.equal(start.stdout, '');
    assert.equal(start.stderr, 'iptables: -A INPUT -j ACCEPT\n   ERROR: Command "iptables -A INPUT -j ACCEPT" Failed\n');
    assert.equal(start.exitCode, 2);
    assert.deepEqual(start.commands, [], 'nothing recorded: it ran');
    assert.deepEqual(start.warnings, [
      'run_iptables failed in start: Shorewall would stop the firewall (or restore the last save) and end `shorewall ' +
        'start` with status 2, and started would not run.',
    ]);
    assert.deepEqual(report.skipped, [{ label: 'shorewall start: started', reason: 'not run: start ended the firewall script' }]);
    assert.ok(report.notes.some((n) => n.startsWith('Live run:')));
  });
});
