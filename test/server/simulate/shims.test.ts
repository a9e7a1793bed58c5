import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe as suite, test } from 'node:test';
import { createShims, uninterceptedCalls } from '../../../server/src/simulate/shims';
import { launcherFor, runHook } from '../../../server/src/simulate/run';
import { loadShellParser } from '../../../server/src/shell/parser';
import { simulationSandbox } from './support';

const box = simulationSandbox();
before(() => loadShellParser());

const calls = (lines: string[]) => uninterceptedCalls(lines.join('\n') + '\n').map((c) => [c.command, c.line]);

suite('uninterceptedCalls: what a dry run cannot stand in for', () => {
  test('a wrapper that runs a command by its path', () => {
    assert.deepEqual(
      calls([
        'env /sbin/ip route add 10.0.0.0/8 dev tun0',
        'nohup /usr/sbin/iptables -F &',
        'timeout 5 /sbin/ip link',
        'exec /sbin/ip addr',
      ]),
      [
        ['/sbin/ip', 1],
        ['/usr/sbin/iptables', 2],
        ['/sbin/ip', 3],
        ['/sbin/ip', 4],
      ],
    );
  });

  test('wrappers that find the command through PATH are intercepted', () => {
    assert.deepEqual(calls(['env ip route show', 'nice -n 5 ip link', 'timeout 5 iptables -L', 'command -v ip']), []);
  });

  test('PATH changes and env -i are reported where they happen', () => {
    const found = uninterceptedCalls(
      ['#!/bin/sh', 'export PATH=/usr/sbin:/sbin:$PATH', 'PATH=/sbin ip link', 'env -i ip route'].join('\n'),
    );
    assert.deepEqual(
      found.map((c) => [c.command, c.line]),
      [
        ['PATH', 2],
        ['PATH', 3],
        ['env', 4],
      ],
    );
    assert.match(found[0].why, /PATH is set here/);
  });

  test('busybox runs its own applet', () => {
    assert.deepEqual(calls(['busybox ip route add 10.0.0.0/8 dev tun0', 'busybox sleep 1']), [['ip', 1]]);
  });
});

suite('the sudo shim', () => {
  test('sudo is recorded whole and never escalates in a dry run', async () => {
    const script = box.hook('OnConnect_sudo.sh', ['#!/bin/sh', 'sudo ip route add 10.2.0.0/16 dev tun0', 'sudo /sbin/iptables -F']);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(result.commands, [
      { argv: ['sudo', 'ip', 'route', 'add', '10.2.0.0/16', 'dev', 'tun0'] },
      { argv: ['sudo', '/sbin/iptables', '-F'] },
    ]);
    assert.deepEqual(result.notIntercepted, []);
  });
});

suite('a shim called by a relative path', () => {
  test('`./ip` after cd into the shim folder is recorded (it waited 5 s and was lost before)', async () => {
    const script = box.hook('OnConnect_relative.sh', [
      '#!/bin/sh',
      'cd "$(dirname "$(command -v ip)")" && ./ip link set lo up',
      'echo "$?"',
    ]);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track, allowUnintercepted: true });
    assert.equal(result.stdout, '0\n');
    assert.equal(result.stderr, '');
    assert.deepEqual(result.commands, [{ argv: ['ip', 'link', 'set', 'lo', 'up'] }]);
  });
});

suite("a hook that deletes the shims' record channel (shims mode)", () => {
  test('the calls after it are missing and the report says so; the channel is made again for the next run', async () => {
    const shims = createShims();
    try {
      const deleting = box.hook('OnConnect_rmfifo.sh', [
        '#!/bin/sh',
        'ip link set lo up',
        'rm -f "$HOOKSMITH_SHIM_LOG"',
        'ip route add 10.1.0.0/16 dev lo',
      ]);
      const first = await runHook({ event: 'connect', script: deleting }, { shims, onSpawn: box.track });
      assert.deepEqual(first.commands, [{ argv: ['ip', 'link', 'set', 'lo', 'up'] }]);
      assert.match(first.stderr, /hooksmith: the hook deleted or replaced the shims' record channel \(\$HOOKSMITH_SHIM_LOG\)/);
      const next = box.hook('OnDisconnect_after.sh', ['#!/bin/sh', 'ip route del 10.1.0.0/16 dev lo']);
      const second = await runHook({ event: 'disconnect', script: next }, { shims, onSpawn: box.track });
      assert.deepEqual(second.commands, [{ argv: ['ip', 'route', 'del', '10.1.0.0/16', 'dev', 'lo'] }]);
      assert.equal(second.stderr, '');
    } finally {
      shims.dispose();
    }
  });
});

suite('launcherFor: how each type is started', () => {
  test('on Windows, scripts go through their host with the file as an argument', () => {
    assert.deepEqual(launcherFor('C:\\Scripts\\OnConnect_drives.vbs', 'win32'), {
      file: 'cscript.exe',
      args: ['//NoLogo', 'C:\\Scripts\\OnConnect_drives.vbs'],
    });
    assert.deepEqual(launcherFor('C:\\S\\OnConnect_x.ps1', 'win32').args.slice(-2), ['-File', 'C:\\S\\OnConnect_x.ps1']);
    assert.deepEqual(launcherFor('C:\\S\\OnConnect_x.CMD', 'win32'), { file: 'cmd.exe', args: ['/d', '/c', 'C:\\S\\OnConnect_x.CMD'] });
  });

  test('elsewhere the file is executed itself, argv[0] its name', () => {
    assert.deepEqual(launcherFor('/opt/x/OnConnect_routes.sh', 'linux'), {
      file: '/opt/x/OnConnect_routes.sh',
      args: [],
      argv0: 'OnConnect_routes.sh',
    });
  });
});

suite('a shim call with no awk to be found', () => {
  test('a hook whose PATH has the shims and sleep but no awk still has its calls recorded, with every argument as given', async () => {
    const tools = path.join(box.dir, 'only-sleep');
    fs.mkdirSync(tools, { recursive: true });
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), path.join(tools, 'sleep'));
    const script = box.hook('OnConnect_no_awk.sh', [
      '#!/bin/sh',
      `PATH="$(dirname "$(command -v ip)"):${tools}"`,
      `ip route add 10.9.0.0/16 dev tun0 metric ''`,
      `logger -t vpn "two words" 'a "quoted" \\ line' "$(printf 'x\\ny')"`,
    ]);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track, allowUnintercepted: true });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(result.commands, [
      { argv: ['ip', 'route', 'add', '10.9.0.0/16', 'dev', 'tun0', 'metric', ''] },
      { argv: ['logger', '-t', 'vpn', 'two words', 'a "quoted" \\ line', 'x\ny'] },
    ]);
  });
});
