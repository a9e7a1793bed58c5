import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { runHook } from '../../../server/src/simulate/run';
import { groupMembers, survivorsOf } from '../../helpers/processGroups';
import { simulationSandbox } from './support';

const box = simulationSandbox();

suite('runHook: timeouts kill the whole process group', () => {
  test('a grandchild started in the background goes with its parent at timeout + grace', async () => {
    const pidFile = path.join(box.dir, 'grandchild.pid');
    const script = box.hook('OnConnect_tree.sh', ['#!/bin/sh', 'sleep 60 >/dev/null 2>&1 &', `echo $! > '${pidFile}'`, 'sleep 60']);
    let pgid = 0;
    const result = await runHook(
      { event: 'connect', script },
      { timeoutMs: 300, graceMs: 200, onSpawn: (p) => (box.track(p), (pgid = p)) },
    );
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, 'SIGTERM', 'sh dies of the SIGTERM');
    assert.deepEqual(
      result.signalsSent.map((s) => [s.signal, s.why]),
      [['SIGTERM', 'timeout']],
    );
    assert.ok(result.signalsSent[0].atMs >= 300, `SIGTERM at ${result.signalsSent[0].atMs} ms, not before the timeout`);
    assert.deepEqual(result.survivors, []);
    assert.deepEqual(await survivorsOf(pgid), []);
    assert.equal(groupMembers(pgid).includes(grandchild), false, 'the grandchild is gone too');
  });

  test('a hook that ignores SIGTERM gets SIGKILL after the grace, and the report says so', async () => {
    const script = box.hook('OnConnect_stubborn.sh', ['#!/bin/sh', "trap '' TERM", 'echo started', 'sleep 60']);
    const result = await runHook({ event: 'connect', script }, { timeoutMs: 200, graceMs: 300, onSpawn: box.track });
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, 'SIGKILL');
    assert.deepEqual(
      result.signalsSent.map((s) => [s.signal, s.why]),
      [
        ['SIGTERM', 'timeout'],
        ['SIGKILL', 'grace-expired'],
      ],
    );
    const [term, kill] = result.signalsSent;
    assert.ok(kill.atMs - term.atMs >= 290, `grace of ${kill.atMs - term.atMs} ms`);
    assert.equal(result.stdout, 'started\n', 'output before the kill is kept');
    assert.deepEqual(result.survivors, []);
  });

  test('a background process left running when the hook exits is reported and killed', async () => {
    const script = box.hook('OnConnect_daemon.sh', ['#!/bin/sh', 'sleep 60 >/dev/null 2>&1 &', 'exit 0']);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(result.exitCode, 0);
    assert.equal(result.leftRunning.length, 1);
    assert.deepEqual(
      result.signalsSent.map((s) => [s.signal, s.why]),
      [['SIGKILL', 'left-running']],
    );
    assert.equal(result.timedOut, false);
  });
});

suite('runHook: environment and output', () => {
  test('environment values with spaces, quotes and $(...) arrive verbatim, on a clean base', async () => {
    const value = `Jane "J" O'Brien $(touch ${box.dir}/pwned) \`id\` $HOME \\ end`;
    const script = box.hook('OnConnect_env.sh', [
      '#!/bin/sh',
      'printf "%s\\n" "$CISCO_VPN_USERNAME"',
      'printf "%s\\n" "$PATH"',
      'printf "%s\\n" "${NODE_OPTIONS-unset}"',
    ]);
    const result = await runHook({ event: 'connect', script, env: { CISCO_VPN_USERNAME: value } }, { onSpawn: box.track });
    const [user, pathVar, nodeOptions] = result.stdout.split('\n');
    assert.equal(user, value);
    assert.match(pathVar, /hooksmith-shims-[^:]+:\/usr\/local\/sbin:/, 'the shim folder comes first');
    assert.equal(nodeOptions, 'unset', "the editor's environment does not leak in");
    assert.equal(fs.existsSync(path.join(box.dir, 'pwned')), false, 'nothing was evaluated');
  });

  test('100 MB of output is capped at 1 MiB with a note, streamed, and the run does not hang', async () => {
    const script = box.hook('OnConnect_chatty.sh', ['#!/bin/sh', "head -c 100000000 /dev/zero | tr '\\0' x", 'echo done >&2']);
    let streamed = '';
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track, onStdout: (t) => (streamed += t), timeoutMs: 30_000 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdoutTruncated, true);
    assert.equal(result.stdout.slice(0, 1024 * 1024), 'x'.repeat(1024 * 1024));
    assert.match(result.stdout.slice(1024 * 1024), /^\n\[hooksmith: output truncated after 1048576 bytes\] \(98951424 bytes dropped\)\n$/);
    assert.match(streamed, /output truncated after 1048576 bytes/);
    assert.equal(result.stderr, 'done\n');
    assert.equal(result.stderrTruncated, false);
  });
});

suite('runHook: scripts the executor would not run', () => {
  test('a non-executable script is refused with the fix named', async () => {
    const script = box.hook('OnConnect_noexec.sh', ['#!/bin/sh', 'echo hi'], 0o644);
    const result = await runHook({ event: 'connect', script });
    assert.equal(result.notRun?.reason, 'not-executable');
    assert.match(result.notRun?.message ?? '', /access X_OK.*chmod \+x .*OnConnect_noexec\.sh/);
    assert.equal(result.pid, undefined);
  });

  test('a CRLF shebang is explained, not left as "bad interpreter"', async () => {
    const script = box.hook('OnConnect_crlf.sh', ['#!/bin/sh\r', 'echo hi\r']);
    const result = await runHook({ event: 'connect', script });
    assert.equal(result.notRun?.reason, 'crlf-shebang');
    assert.match(result.notRun?.message ?? '', /CRLF.*"\/bin\/sh\\r".*Fix: convert to LF/);
  });

  test('a missing interpreter is named', async () => {
    const script = box.hook('OnConnect_interp.sh', ['#!/opt/nowhere/bin/bash', 'echo hi']);
    const result = await runHook({ event: 'connect', script });
    assert.equal(result.notRun?.reason, 'missing-interpreter');
    assert.match(result.notRun?.message ?? '', /\/opt\/nowhere\/bin\/bash .*not installed/);
  });

  test('a missing interpreter behind env runs and fails as it would for real (exit 127)', async () => {
    const script = box.hook('OnConnect_envinterp.sh', ['#!/usr/bin/env hooksmith-no-such-shell', 'echo hi']);
    // Not a shell the analysis reads.
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track, allowUnintercepted: true });
    assert.equal(result.exitCode, 127);
    assert.match(result.stderr, /hooksmith-no-such-shell/);
  });

  test('a .vbs on Linux runs only on Windows and is not spawned', async () => {
    const script = box.hook('OnConnect_drives.vbs', ['Set objShell = CreateObject("WScript.Shell")']);
    const result = await runHook({ event: 'connect', script }, { platform: 'linux' });
    assert.equal(result.notRun?.reason, 'windows-only');
    assert.match(result.notRun?.message ?? '', /runs only on Windows \(through cscript\)/);
    assert.equal(result.pid, undefined);
  });
});

suite('runHook: dry run', () => {
  test('the shims record what would run, argv exact', async () => {
    const script = box.hook('OnConnect_routes.sh', [
      '#!/bin/bash',
      'ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0',
      'logger "VPN: Added static routes"',
      `mount.cifs //srv/share /mnt -o 'user=a"b\\c'`,
    ]);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(result.commands, [
      { argv: ['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0'] },
      { argv: ['logger', 'VPN: Added static routes'] },
      { argv: ['mount.cifs', '//srv/share', '/mnt', '-o', 'user=a"b\\c'] },
    ]);
    assert.deepEqual(result.notIntercepted, []);
  });

  test('a call by absolute path is reported as not intercepted', async () => {
    const script = box.hook('OnConnect_abs.sh', [
      '#!/bin/sh',
      'ip route show',
      'false && /sbin/ip route add 10.1.0.0/16 dev tun0',
      'exit 0',
    ]);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track, allowUnintercepted: true });
    assert.deepEqual(result.commands, [{ argv: ['ip', 'route', 'show'] }]);
    assert.deepEqual(
      result.notIntercepted.map((c) => [c.command, c.line, c.text]),
      [['/sbin/ip', 3, '/sbin/ip route add 10.1.0.0/16 dev tun0']],
    );
  });
});
