// The sandbox through the CLI, as a user meets it: the state each hook changed, the connect /
// disconnect pair's verdict, refusals of the environment and of unintercepted calls, and no
// sandbox outliving a killed CLI.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { SimulationReport } from '../../server/src/protocol';
import { holderName } from '../../server/src/simulate/sandbox/scripts';
import { cliPath, cliWorkspace, jsonOf } from '../helpers/cli';
import { until } from '../helpers/until';

const { dir: work, write, run } = cliWorkspace('hooksmith-cli-sandbox-', { command: ['simulate'] });

function folder(name: string, hooks: Record<string, string[]>): string {
  for (const [file, lines] of Object.entries(hooks)) write(path.join(name, file), ['#!/bin/sh', ...lines]);
  return path.join(work, name);
}

const hostRoutes = (): string => spawnSync('ip', ['route', 'show', 'table', 'all'], { encoding: 'utf8' }).stdout;

suite('hooksmith simulate in the sandbox', () => {
  test(
    'a disconnect hook that forgets its route: the report names the route left behind; --json carries state and the ' + 'format version',
    () => {
      const routes = hostRoutes();
      const dir = folder('forgets', {
        'OnConnect.sh': ['/usr/sbin/ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0'],
        'OnDisconnect.sh': ['echo bye'],
      });
      const r = run('sequence', 'connect,disconnect', '--scripts', dir, '--gap-ms', '0', '--isolation', 'sandbox', '--json');
      assert.equal(r.status, 0, r.stderr);
      const report = jsonOf<SimulationReport>(r);
      assert.equal(report.formatVersion, 2);
      assert.equal(report.isolation.mode, 'sandbox');
      const [connect] = report.runs;
      assert.deepEqual(connect.state?.diff, [{ kind: 'routes', change: 'added', item: '192.168.100.0/24 via 10.0.0.1 dev tun0' }]);
      assert.ok(connect.state?.before.addresses?.includes('tun0 inet 10.0.0.42/24'), 'the tunnel is there before the hook');
      assert.ok(
        report.notes.some((n) =>
          n.includes('route 192.168.100.0/24 via 10.0.0.1 dev tun0 was added by connect and is still there after disconnect'),
        ),
        report.notes.join('\n'),
      );
      assert.equal(hostRoutes(), routes);
    },
  );

  test('a pair that cleans up: "State restored", and the text shows each change', () => {
    const dir = folder('cleans', {
      'OnConnect.sh': ['ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0'],
      'OnDisconnect.sh': ['/usr/sbin/ip route del 192.168.100.0/24 via 10.0.0.1 dev tun0'],
    });
    const r = run('sequence', 'connect,disconnect', '--scripts', dir, '--gap-ms', '0', '--isolation', 'sandbox');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Simulation \(dry run, in a (bwrap|unshare) sandbox\)/);
    assert.match(r.stdout, /State restored: the state after disconnect equals the state before connect\./);
    assert.match(r.stdout, /state changes:\n {4}\+ routes: 192\.168\.100\.0\/24 via 10\.0\.0\.1 dev tun0\n/);
    assert.match(r.stdout, /state changes:\n {4}- routes: 192\.168\.100\.0\/24 via 10\.0\.0\.1 dev tun0\n/);
    // The shimmed ip ran in the sandbox: the text says so, with its status.
    assert.match(
      r.stdout,
      /recorded by the shims:\n {4}ip route add 192\.168\.100\.0\/24 via 10\.0\.0\.1 dev tun0 {2}\(ran in the sandbox: exit 0\)\n/,
    );
  });

  test(
    "shorewall start,stop: both commands run in one sandbox, and the pair's verdict is printed; a third command is " + 'a usage error',
    () => {
      const dir = folder('shorewall-pair', {
        'shorewall.conf': ['STARTUP_ENABLED=Yes'],
        start: ['/usr/sbin/ip route add 198.51.100.0/24 dev eth0'],
        stop: ['/usr/sbin/ip route del 198.51.100.0/24 dev eth0'],
      });
      const r = run('shorewall', 'start,stop', '--confdir', dir, '--isolation', 'sandbox');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /State restored: the state after shorewall stop equals the state before shorewall start\./);
      const bad = run('shorewall', 'start,stop,start', '--confdir', dir);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /runs one command, or two \(start,stop\), not start,stop,start/);
    },
  );

  test('--env may not set PATH, HOOKSMITH_* or LD_PRELOAD: refused with the reason, exit 2, nothing run', () => {
    const marker = path.join(work, 'ran');
    const dir = folder('env', { 'OnConnect.sh': [`touch ${marker}`] });
    for (const bad of ['PATH=/usr/bin:/bin:/usr/sbin:/sbin', 'HOOKSMITH_SHIM_LOG=/dev/null', 'LD_PRELOAD=/tmp/x.so']) {
      const r = run('connect', '--scripts', dir, '--env', bad);
      assert.equal(r.status, 2, r.stdout);
      assert.match(r.stderr, new RegExp(`"env" cannot set ${bad.split('=')[0]}`));
    }
    assert.equal(fs.existsSync(marker), false);
  });

  test('--isolation shims: a hook with a call by path is not run, and the header does not claim a clean dry run', () => {
    const dir = folder('shims', { 'OnConnect.sh': ['/usr/sbin/ip addr add 192.0.2.123/32 dev lo'] });
    const r = run('connect', '--scripts', dir, '--isolation', 'shims');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /Simulation \(dry run, shims only: calls that bypass them run for real\)/);
    assert.match(r.stdout, /not run: Without a sandbox only the shims intercept commands, and 1 call\(s\)/);
    assert.doesNotMatch(spawnSync('ip', ['-o', 'addr'], { encoding: 'utf8' }).stdout, /192\.0\.2\.123/);
  });

  test('--isolation takes auto, sandbox or shims', () => {
    const r = run('connect', '--script', 'x.sh', '--isolation', 'none');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--isolation must be one of auto, sandbox, shims, not 'none'/);
  });

  test('SIGKILL of the CLI mid-run: the hook, its sandbox and its temp folders go with it', async () => {
    const name = `OnConnect_orphan_${process.pid}.sh`;
    const dir = folder('orphan', { [name]: ["trap '' TERM HUP", 'setsid sleep 600 &', 'sleep 600'] });
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    const env = { ...process.env, TMPDIR: tmp };
    const child = spawn(process.execPath, [cliPath, 'simulate', 'connect', '--scripts', dir, '--isolation', 'sandbox'], {
      cwd: work,
      stdio: 'ignore',
      env,
    });
    const hookAlive = (): number[] => pidsWhere((argv) => argv[1] === path.join(dir, name));
    await until(() => hookAlive().length > 0, 'the hook started');
    const ours = pidsWhere((argv) => argv[0] === holderName).filter((pid) => descendsFrom(pid, child.pid as number));
    assert.equal(ours.length, 1, 'one sandbox holder');
    child.kill('SIGKILL');
    await until(() => hookAlive().length === 0, 'the hook died with the CLI');
    await until(
      () => !fs.existsSync(`/proc/${ours[0]}/cmdline`) || !fs.readFileSync(`/proc/${ours[0]}/cmdline`, 'utf8').startsWith(holderName),
      'the sandbox died with the CLI',
    );
    await until(() => fs.readdirSync(tmp).length === 0, 'the shims folder was removed');
  });
});

function pidsWhere(match: (argv: string[]) => boolean): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (/^\S+ \(.*\) [ZX] /.test(stat)) return [];
        return match(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current = pid, i = 0; current > 1 && i < 64; i++) {
    if (current === ancestor) return true;
    try {
      const stat = fs.readFileSync(`/proc/${current}/stat`, 'utf8');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}
