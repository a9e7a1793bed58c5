// In a sandbox the shims record a call and then run the real tool inside it (issues 14 and 19):
// `ip route add` through the shim changes the sandbox's routing table, fails as it would for real
// and the hook sees that; the report says per call what ran and its exit status. The host's
// addresses and routes are checked unchanged. In shims mode nothing runs, whatever the hook does.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { simulateAnyConnect } from '../../../../server/src/families/anyconnect/simulate/simulate';
import { which } from '../../../../server/src/simulate/sandbox/detect';
import { runHook } from '../../../../server/src/simulate/run';
import { createShims } from '../../../../server/src/simulate/shims';
import { hostNetwork } from '../../../helpers/hostNetwork';
import { simulationSandbox, suiteSandbox } from '../support';

const box = simulationSandbox();
const route = ['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0'];
const routeLine = route.join(' ');

suite('in a sandbox, a shimmed call is recorded and then runs the real tool inside', () => {
  const opened = suiteSandbox(box.dir);
  const run = async (name: string, lines: string[]) => {
    const host = hostNetwork();
    const result = await runHook(
      { event: 'connect', script: box.hook(name, ['#!/bin/sh', ...lines]) },
      { ...opened.current(), onSpawn: box.track },
    );
    assert.equal(hostNetwork(), host, "the host's addresses, routes and rules are unchanged");
    return result;
  };

  test('ip route add: the route is in the diff; adding it again fails with exit 2, and the hook sees both statuses', async () => {
    const r = await run('OnConnect_route.sh', [routeLine, 'echo "first $?"', routeLine, 'echo "second $?"', 'ip route del 10.99.0.0/16']);
    assert.equal(r.stdout, 'first 0\nsecond 2\n');
    assert.match(r.stderr, /File exists/);
    assert.deepEqual(r.commands, [
      { argv: route, sandbox: { ran: true, exitCode: 0 } },
      { argv: route, sandbox: { ran: true, exitCode: 2 } },
      { argv: ['ip', 'route', 'del', '10.99.0.0/16'], sandbox: { ran: true, exitCode: 2 } },
    ]);
    assert.equal(r.exitCode, 2, 'the hook ends with the last command, as it would for real');
    assert.deepEqual(
      r.state?.diff.map((c) => `${c.change} ${c.kind}: ${c.item}`),
      ['added routes: 192.168.100.0/24 via 10.0.0.1 dev tun0'],
    );
  });

  test('iptables -A then -D through the shim: each shows its change, the second restores; -D of a missing rule fails', async () => {
    const rule = ['-s', '192.0.2.7/32', '-j', 'DROP'];
    const added = await run('OnConnect_fw.sh', [`iptables -A INPUT ${rule.join(' ')}`]);
    assert.deepEqual(added.commands, [{ argv: ['iptables', '-A', 'INPUT', ...rule], sandbox: { ran: true, exitCode: 0 } }]);
    assert.ok(added.state?.diff.some((c) => c.kind === 'iptables' && c.change === 'added' && c.item === `-A INPUT ${rule.join(' ')}`));
    const removed = await run('OnDisconnect_fw.sh', [`iptables -D INPUT ${rule.join(' ')}`, `iptables -D INPUT ${rule.join(' ')}`]);
    assert.deepEqual(
      removed.commands.map((c) => c.sandbox),
      [
        { ran: true, exitCode: 0 },
        { ran: true, exitCode: 1 },
      ],
    );
    assert.deepEqual(
      removed.state?.after,
      added.state?.before,
      "after -D the state is the one before -A (iptables-nft's empty table is no change)",
    );
  });

  test('stdin reaches the real tool: nft -f - reads the rule set the hook pipes in', async () => {
    const r = await run('OnConnect_nft.sh', ["printf 'add table inet hs_piped\\n' | nft -f -"]);
    assert.deepEqual(r.commands, [{ argv: ['nft', '-f', '-'], sandbox: { ran: true, exitCode: 0 } }]);
    assert.ok(
      r.state?.diff.some((c) => c.kind === 'nft' && c.item === 'table inet hs_piped {'),
      JSON.stringify(r.state?.diff),
    );
  });

  test("sudo runs the rest of its command there (one entry, the tool's status); systemctl and logger are recorded, with why", async () => {
    const r = await run('OnConnect_sudo.sh', [
      'sudo -n ip route add 192.168.101.0/24 dev tun0',
      'sudo ip route add 192.168.101.0/24 dev tun0',
      'sudo systemctl restart hooksmith-none',
      'logger up',
      'exit 0',
    ]);
    assert.deepEqual(
      r.commands.map((c) => [c.argv[0], c.argv[1], c.sandbox?.ran, c.sandbox?.ran ? c.sandbox.exitCode : c.sandbox?.why]),
      [
        ['sudo', '-n', true, 0],
        ['sudo', 'ip', true, 2],
        ['sudo', 'systemctl', false, "it would talk to this machine's service manager"],
        ['logger', 'up', false, "it would write to this machine's system log"],
      ],
    );
    assert.ok(r.state?.diff.some((c) => c.item === '192.168.101.0/24 dev tun0 scope link'));
  });

  test('a tool this machine does not have is recorded and the report says it was not run', async () => {
    const r = await run('OnConnect_ipset.sh', ['ipset create hs_set hash:ip', 'echo "status $?"']);
    const installed = which('ipset') !== undefined;
    assert.deepEqual(
      r.commands[0].sandbox,
      installed ? { ran: true, exitCode: 0 } : { ran: false, why: 'ipset is not installed on this machine' },
    );
    assert.equal(r.stdout, 'status 0\n');
  });
});

suite('without a sandbox the shims run nothing', () => {
  test('the same calls are recorded only: no sandbox field, and a repeated route add "succeeds"', async () => {
    const script = box.hook('OnConnect_shims.sh', ['#!/bin/sh', routeLine, routeLine, 'echo "$?"']);
    const host = hostNetwork();
    const r = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(hostNetwork(), host);
    assert.deepEqual(r.commands, [{ argv: route }, { argv: route }]);
    assert.equal(r.stdout, '0\n');
  });

  test("SIGUSR2 (the sandbox's 'run it') to a shim in this machine's netns runs nothing; in a netns of its own it runs", async () => {
    const shims = createShims();
    const fifo = path.join(box.dir, 'answer-run.fifo');
    spawnSync('mkfifo', [fifo]);
    // A runner that tells every shim to run the real tool.
    const socket = new net.Socket({
      fd: fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK),
      readable: true,
      writable: false,
    });
    socket.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/^(\d+)(?= |$)/gm)) process.kill(Number(m[1]), 'SIGUSR2');
    });
    const shimmed = (argv: string[]) =>
      new Promise<string>((resolve) => {
        const child = spawn(argv[0], argv.slice(1), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOOKSMITH_SHIM_LOG: fifo } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out));
      });
    try {
      const ip = path.join(shims.dir, 'ip');
      assert.equal(await shimmed([ip, '-o', 'link', 'show', 'lo']), '', 'nothing ran on this machine');
      assert.match(await shimmed(['unshare', '-rn', ip, '-o', 'link', 'show', 'lo']), /^1: lo: /, 'ran in its own namespace');
    } finally {
      socket.destroy();
      shims.dispose();
    }
  });
});

suite("the seed's connect/disconnect in the sandbox, with hooks that call plain ip", () => {
  const seed = path.resolve(__dirname, '../../../../../examples/seed');
  const project = (name: string, disconnect?: string[]) => {
    const dir = path.join(box.dir, name);
    fs.cpSync(seed, dir, { recursive: true });
    if (disconnect) fs.writeFileSync(path.join(dir, 'scripts/OnDisconnect_script.sh'), ['#!/bin/sh', ...disconnect, ''].join('\n'));
    return path.join(dir, 'seed-profile.xml');
  };
  const simulatePair = async (profile: string) => {
    const host = hostNetwork();
    const report = await simulateAnyConnect(
      // Each hook ends before the next event (the profile would terminate a connect still running at a gap of 0).
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile, isolation: 'sandbox', gapMs: 0, terminateOnNextEvent: false },
      { onSpawn: box.track },
    );
    assert.equal(hostNetwork(), host);
    assert.equal(report.isolation.mode, 'sandbox');
    assert.deepEqual(report.runs[0].commands.find((c) => c.argv[0] === 'ip')?.sandbox, { ran: true, exitCode: 0 });
    return report;
  };

  test('a disconnect that forgets the route: the pair note names the route left behind', async () => {
    const report = await simulatePair(project('forgets', ['echo "bye"']));
    assert.ok(
      report.notes.some((n) =>
        n.includes('route 192.168.100.0/24 via 10.0.0.1 dev tun0 was added by connect and is still there after disconnect'),
      ),
      report.notes.join('\n'),
    );
  });

  test('the seed as shipped removes its route: "State restored"', async () => {
    const report = await simulatePair(project('cleans-up'));
    assert.ok(
      report.notes.includes('State restored: the state after disconnect equals the state before connect.'),
      report.notes.join('\n'),
    );
    assert.deepEqual(
      report.runs[1].commands.map((c) => [c.argv.join(' '), c.sandbox?.ran]),
      [
        ['ip route del 192.168.100.0/24', true],
        [report.runs[1].commands[1].argv.join(' '), false],
      ],
    );
  });
});
