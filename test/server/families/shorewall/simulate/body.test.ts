import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { simulationSandbox } from '../../../simulate/support';
import { confdir, runOf, runsOf, simulate } from './support';

const box = simulationSandbox();

suite('simulateShorewall: each hook is a function body', () => {
  test('return ends the hook and gives its status; a #! line is only a comment', async () => {
    const dir = confdir(box, {
      init: ['#!/bin/bash', 'echo one', 'return 0', 'echo two'],
      stop: ['echo stopping', 'return 4'],
      stopped: ['echo stopped'],
    });
    const start = await simulate(box, dir, 'start');
    assert.equal(runOf(start, 'init').stdout, 'one\n');
    assert.equal(runOf(start, 'init').exitCode, 0);
    assert.deepEqual(runOf(start, 'init').warnings, []);
    assert.equal(start.ok, true);

    const stop = await simulate(box, dir, 'stop');
    assert.equal(runOf(stop, 'stop').exitCode, 4);
    assert.deepEqual(runOf(stop, 'stop').warnings, [
      'stop returned 4: the generated script does not check this status and goes on with the rest of `shorewall stop`.',
    ]);
    assert.equal(runOf(stop, 'stopped').stdout, 'stopped\n', 'the next hook still runs, as in Shorewall');
    assert.equal(stop.ok, false, 'a non-zero status fails the simulation');
  });

  test('exit is reported as ending the whole firewall script, and the later hooks do not run', async () => {
    const dir = confdir(box, { init: ['echo init'], start: ['echo before', 'exit 3', 'echo after'], started: ['echo started'] });
    const report = await simulate(box, dir, 'start');
    const start = runOf(report, 'start');
    assert.equal(start.stdout, 'before\n');
    assert.equal(start.exitCode, 3);
    assert.deepEqual(start.warnings, [
      'exit 3 in start ends the whole generated firewall script, not just this hook: `shorewall start` would stop ' +
        'here with status 3, and started would not run. Use return.',
    ]);
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['shorewall start: init', 'shorewall start: start'],
    );
    assert.deepEqual(report.skipped, [{ label: 'shorewall start: started', reason: 'not run: start ended the firewall script' }]);
    assert.equal(report.ok, false);
  });

  test('exit 0 is still an exit: the script ends and the simulation fails', async () => {
    const dir = confdir(box, { stop: ['exit 0'], stopped: ['echo stopped'] });
    const report = await simulate(box, dir, 'stop');
    assert.match(runOf(report, 'stop').warnings[0], /^exit 0 in stop ends the whole generated firewall script/);
    assert.equal(report.runs.length, 1);
    assert.equal(report.ok, false);
  });

  test('an exit in a lib.private function the hook calls is named as such', async () => {
    const dir = confdir(box, {
      'lib.private': ['bail() { echo "bailing" >&2; exit 5; }', '/sbin/ip -V >/dev/null 2>&1 || true'],
      refresh: ['bail'],
      refreshed: ['echo refreshed'],
    });
    const report = await simulate(box, dir, 'refresh');
    const refresh = runOf(report, 'refresh');
    assert.equal(refresh.stderr, 'bailing\n');
    assert.deepEqual(refresh.warnings, [
      'exit 5 in refresh (through a lib.private function) ends the whole generated firewall script, not just this ' +
        'hook: `shorewall refresh` would stop here with status 5, and refreshed would not run. Use return.',
    ]);
    assert.ok(
      report.notes.includes(
        'lib.private line 2 calls /sbin/ip by absolute path: no shim can stand in for it, so it runs for real when called.',
      ),
      report.notes.join('\n'),
    );
  });

  test("a syntax error is named with the hook's own line number", async () => {
    const dir = confdir(box, { init: ['#!/bin/sh', 'echo fine', 'if then', 'fi'], start: ['echo start'] });
    const report = await simulate(box, dir, 'start');
    const init = runOf(report, 'init');
    assert.equal(init.stdout, '', 'nothing of it ran');
    assert.match(init.stderr, /\/init: 3: Syntax error/);
    assert.match(init.warnings[0], /^sh stopped with status 2 before calling init: a syntax error in init or lib\.private/);
    assert.equal(runOf(report, 'start').stdout, 'start\n');
    assert.equal(report.ok, false);
  });

  test('lib.private is loaded first: its functions and variables are there for every hook', async () => {
    const dir = confdir(box, {
      'lib.private': ['greet() {', '    local who', '    who="$1"', '    echo "hello $who from $COMMAND"', '}', 'LIB_LOADED=yes'],
      init: ['greet init', 'echo "$LIB_LOADED"'],
      started: ['greet started'],
    });
    const report = await simulate(box, dir, 'reload');
    assert.equal(runOf(report, 'init').stdout, 'hello init from reload\nyes\n');
    assert.equal(runOf(report, 'started').stdout, 'hello started from reload\n');
    assert.ok(report.notes.some((n) => n.startsWith('lib.private is loaded before each hook')));
  });

  test("COMMAND, CONFDIR, SHAREDIR and VARDIR are set; the request's env goes on top, verbatim", async () => {
    const dir = confdir(box, { stop: ['printf "%s\\n" "$COMMAND" "$CONFDIR" "$SHAREDIR" "$VARDIR" "$SITE"'] });
    const site = `it's "x" $(touch ${box.dir}/pwned) \`id\``;
    const report = await simulate(box, dir, 'clear', { env: { VARDIR: '/tmp/state dir', SITE: site } });
    const stop = runOf(report, 'stop');
    assert.equal(stop.stdout, ['clear', dir, '/usr/share/shorewall', '/tmp/state dir', site, ''].join('\n'));
    assert.deepEqual(stop.env, { COMMAND: 'clear', CONFDIR: dir, SHAREDIR: '/usr/share/shorewall', VARDIR: '/tmp/state dir', SITE: site });
    assert.equal(fs.existsSync(path.join(box.dir, 'pwned')), false);
  });

  test('isusable and findgw get the interface as $1: eth0 unless the request names one', async () => {
    const dir = confdir(box, {
      isusable: ['echo "probing $1"', 'case $1 in', '    eth0) return 0 ;;', '    *) return 1 ;;', 'esac'],
      findgw: ['[ "$1" = ppp0 ] && echo 10.64.64.64', 'exit 0'],
      start: ['echo start'],
    });
    const byDefault = await simulate(box, dir, 'start');
    assert.equal(runOf(byDefault, 'isusable').label, 'shorewall start: isusable eth0');
    assert.equal(runOf(byDefault, 'isusable').stdout, 'probing eth0\n');
    assert.equal(runOf(byDefault, 'isusable').exitCode, 0);

    const ppp = await simulate(box, dir, 'restart', { interface: 'ppp0' });
    const isusable = runOf(ppp, 'isusable');
    assert.equal(isusable.label, 'shorewall restart: isusable ppp0');
    assert.equal(isusable.stdout, 'probing ppp0\n');
    assert.deepEqual(isusable.warnings, [
      'isusable returned 1 for ppp0: Shorewall treats ppp0 as unusable, and its optional provider is not started.',
    ]);
    const findgw = runOf(ppp, 'findgw');
    assert.equal(findgw.stdout, '10.64.64.64\n');
    assert.deepEqual(findgw.warnings, [
      'exit 0 in findgw ends only the command substitution Shorewall runs it in (gateway=$(run_findgw_exit ppp0)), so ' +
        'the firewall script goes on; use return all the same.',
      'findgw printed "10.64.64.64": Shorewall would use it as the gateway through ppp0.',
    ]);
    assert.equal(runOf(ppp, 'start').stdout, 'start\n', 'an exit in findgw does not end the script');
  });

  test('a missing confdir, a file as confdir and an unknown command are clear errors', async () => {
    await assert.rejects(
      simulate(box, path.join(box.dir, 'nowhere'), 'start'),
      /Shorewall configuration folder .*nowhere does not exist\./,
    );
    const file = path.join(box.dir, 'a-file');
    fs.writeFileSync(file, '');
    await assert.rejects(simulate(box, file, 'start'), /a-file is not a folder: --confdir names the folder holding the hooks/);
    await assert.rejects(
      simulate(box, box.dir, 'save' as never),
      /"command" must be one of start, restart, reload, refresh, stop, clear, restore\./,
    );
    await assert.rejects(simulate(box, box.dir, 'stop', { timeoutMs: -1 }), /"timeoutMs" must be a number of milliseconds/);
  });

  test('a hook that is a folder or over 1 MiB is skipped with the reason; the others run', async () => {
    const dir = confdir(box, { stop: ['echo stop'], clear: ['echo clear'] });
    fs.mkdirSync(path.join(dir, 'stopped'));
    fs.writeFileSync(path.join(dir, 'clear'), `# ${'x'.repeat(1024 * 1024)}\n`);
    const report = await simulate(box, dir, 'clear');
    assert.deepEqual(
      runsOf(report).map((r) => r.hook),
      ['stop'],
    );
    assert.deepEqual(report.skipped, [
      { label: 'shorewall clear: stopped', reason: 'stopped is a folder, not a regular file: not simulated (Shorewall ignores it too).' },
      { label: 'shorewall clear: clear', reason: 'clear is over the 1048576 bytes a simulation reads: not simulated.' },
    ]);
  });

  test(
    "a hook the shell parser cannot read runs, and its one unchecked entry gives the parser's own reason; the next " + 'hook is checked',
    async () => {
      // sh reads it as a here-document; the parser runs out of stack.
      const deep = ['<<EOF', ...Array(5000).fill('if x'), 'if a; then $c', 'EOF'];
      const dir = confdir(box, { start: ['ip link set eth0 up', ...deep], started: ['/sbin/ip route show'] });
      const report = await simulate(box, dir, 'start', { isolation: 'shims', allowUnintercepted: true });
      const start = runOf(report, 'start');
      assert.equal(start.exitCode, 0, start.stderr);
      assert.deepEqual(start.commands, [{ argv: ['ip', 'link', 'set', 'eth0', 'up'] }]);
      assert.deepEqual(
        start.notIntercepted.map((c) => c.command),
        ['(unchecked)'],
      );
      assert.match(start.notIntercepted[0].why, /nests deeper than the parser can follow/);
      assert.deepEqual(
        runOf(report, 'started').notIntercepted.map((c) => [c.command, c.line]),
        [['/sbin/ip', 1]],
      );
    },
  );
});
