// A fresh sandbox's first run, made ready while the sandbox starts (issue 14's start-up cost), with real namespaces
// under bubblewrap and unshare: the run's waiter is started with the sandbox (its move into the pids cgroup done by the
// time the run needs it), and the network's first look is taken before the sandbox is ready. Nothing of it may outlive
// the sandbox or the process that started it, and the first run's report must be as exact as any other's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe as suite, test } from 'node:test';
import { runHook } from '../../../../server/src/simulate/run';
import { SandboxTool } from '../../../../server/src/simulate/sandbox/detect';
import { defaultLimits, openSandbox, Sandbox } from '../../../../server/src/simulate/sandbox/sandbox';
import { createShims, Shims } from '../../../../server/src/simulate/shims';
import { holdersOf, readOrNone, sandboxProcess, simulationSandbox } from '../support';

const box = simulationSandbox();

const open = (tool: SandboxTool, shims: Shims): Promise<Sandbox> =>
  openSandbox({
    tool,
    network: { device: 'tun0', addresses: ['10.0.0.42/24'] },
    readOnly: [box.dir, ...shims.shown.filter((f) => !shims.perRun.includes(f))],
    perRun: shims.perRun,
    writable: [],
    home: '/root',
    limits: defaultLimits,
  });

/** The living processes whose parent is `parent` and whose argv[0] is `argv0`. */
function children(parent: number, argv0: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      const stat = readOrNone(`/proc/${pid}/stat`);
      if (!stat) return false;
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return state !== 'Z' && Number(ppid) === parent && readOrNone(`/proc/${pid}/cmdline`)?.split('\0')[0] === argv0;
    });
}

/** The sandbox's waiters: a waiter is `env` exec'ing `perl -e` (see waiterScript), a child of the process that runs the hooks. */
const waiters = (parent = process.pid): number[] => children(parent, 'perl');

function alive(pid: number): boolean {
  const stat = readOrNone(`/proc/${pid}/stat`);
  return stat !== undefined && !/^\S+ \(.*\) [ZX] /.test(stat);
}

/** Waits (10 s at most) until `done` holds, and says whether it does. */
async function until(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}

/** The pids cgroup a process is in (cgroup v1's pids line, or v2's), '' when none is shown. */
function pidsCgroupOf(pid: number): string {
  const lines = (readOrNone(`/proc/${pid}/cgroup`) ?? '').split('\n');
  return (lines.find((l) => /^\d+:pids:/.test(l)) ?? lines.find((l) => l.startsWith('0::')) ?? '').replace(/^\d+:[^:]*:/, '');
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): the first run is made ready while the sandbox starts`, () => {
    test("the first run's hook is started by the waiter the sandbox started with it, as root already in its pids cgroup", async () => {
      const shims = createShims();
      const sandbox = await open(tool, shims);
      try {
        const ahead = waiters();
        assert.equal(ahead.length, 1, 'one waiter was started with the sandbox, before any run');
        if (process.getuid?.() === 0 && sandbox.isolation.reason.includes("a pids cgroup's pids.max")) {
          assert.ok(await until(() => pidsCgroupOf(ahead[0]).includes('hooksmith-sandbox-')), 'the waiter moved into the cgroup');
        }
        const script = box.hook(`OnConnect_${tool}_ahead.sh`, ['#!/bin/sh', 'echo "ran as $$"']);
        let spawned: number | undefined;
        const r = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: (pid) => ((spawned = pid), box.track(pid)) });
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(r.stdout, 'ran as 2\n', "the hook is its run's second process, as in any run");
        assert.equal(spawned, ahead[0], 'the run was the waiter started ahead');
        assert.deepEqual(r.state?.diff, []);
      } finally {
        sandbox.dispose();
        shims.dispose();
      }
    });

    test('a sandbox disposed before any run ends the waiter started with it', async () => {
      const shims = createShims();
      const sandbox = await open(tool, shims);
      const ahead = waiters();
      sandbox.dispose();
      shims.dispose();
      assert.equal(ahead.length, 1, 'one waiter was started with the sandbox');
      assert.ok(await until(() => !alive(ahead[0])), 'the waiter ended with the sandbox');
    });

    test("the first run's diff shows what it changed in a fresh sandbox, a sysctl and a route; the next run's, nothing", async () => {
      const shims = createShims();
      const sandbox = await open(tool, shims);
      try {
        const change = box.hook(`OnConnect_${tool}_first_change.sh`, [
          '#!/bin/sh',
          'echo 1 > /proc/sys/net/ipv4/ip_forward',
          'ip route add 192.168.66.0/24 dev tun0',
        ]);
        const first = await runHook({ event: 'connect', script: change }, { sandbox, shims, onSpawn: box.track });
        assert.equal(first.exitCode, 0, first.stderr);
        assert.ok(
          first.state?.before.links?.some((l) => l.startsWith('tun0:')),
          JSON.stringify(first.state?.before.links),
        );
        assert.ok(first.state?.before.sysctls?.includes('net.ipv4.ip_forward = 0'), 'the sysctls were read before the run');
        const diff = first.state?.diff.map((c) => `${c.change} ${c.kind}: ${c.item}`) ?? [];
        // ip_forward sets every conf.*.forwarding too: those are in the diff as well.
        for (const item of [
          'added routes: 192.168.66.0/24 dev tun0 scope link',
          'added sysctls: net.ipv4.ip_forward = 1',
          'removed sysctls: net.ipv4.ip_forward = 0',
          'added sysctls: net.ipv4.conf.tun0.forwarding = 1',
        ])
          assert.ok(diff.includes(item), `${item} in ${JSON.stringify(diff)}`);
        assert.deepEqual(
          diff.filter((d) => !/^(added|removed) sysctls: net\.ipv4\.(ip_forward|conf\.\S+\.(forwarding|accept_redirects)) = /.test(d)),
          ['added routes: 192.168.66.0/24 dev tun0 scope link'],
        );
        const none = box.hook(`OnConnect_${tool}_then_nothing.sh`, ['#!/bin/sh', 'exit 0']);
        const next = await runHook({ event: 'connect', script: none }, { sandbox, shims, onSpawn: box.track });
        assert.deepEqual(next.state?.diff, []);
        assert.ok(next.state?.before.sysctls?.includes('net.ipv4.ip_forward = 1'));
      } finally {
        sandbox.dispose();
        shims.dispose();
      }
    });
  });
}

suite('a fresh sandbox ends with the process that started it', () => {
  test('a process killed while its sandbox waits for its first run leaves no holder and no waiter behind', async () => {
    const { child, said } = await sandboxProcess([
      `sb.openSandbox({ network: { addresses: [] }, readOnly: [], writable: [], home: '/root', limits: sb.defaultLimits })`,
      `  .then(() => { console.log('ready'); setInterval(() => undefined, 1000); });`,
    ]);
    try {
      assert.equal(said, 'ready\n');
      const ahead = waiters(child.pid);
      const holders = holdersOf(child.pid);
      assert.equal(ahead.length, 1, "the child's sandbox has its first run's waiter");
      assert.equal(holders.length, 1, 'the child has one sandbox');
      child.kill('SIGKILL');
      assert.ok(await until(() => !alive(holders[0])), 'the sandbox died with its process');
      assert.ok(await until(() => !alive(ahead[0])), 'the waiter died with its process');
    } finally {
      child.kill('SIGKILL'); // whatever failed above: no process left to keep the test waiting
    }
  });

  test('a process that ends a sandbox it never ran anything in exits with its pids cgroup removed and no waiter left', async () => {
    const { child, said } = await sandboxProcess([
      `const children = () => require('child_process').execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]);`,
      `sb.openSandbox({ network: { addresses: [] }, readOnly: [], writable: [], home: '/root', limits: sb.defaultLimits })`,
      `  .then((s) => { console.log(String(children()).replace(/\\n/g, ' ')); s.dispose(); });`,
    ]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const ahead = /(\d+) perl/.exec(said)?.[1];
      assert.ok(ahead, `the sandbox's waiter among the process's children: ${said}`);
      // It exits on its own once its children are gone: nothing keeps it but them.
      assert.equal(await exited, 0);
      assert.equal(alive(Number(ahead)), false, 'the waiter is gone');
      const cgroups = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup'].flatMap((base) =>
        (fs.existsSync(base) ? fs.readdirSync(base) : []).filter((n) => n.startsWith(`hooksmith-sandbox-${child.pid}-`)),
      );
      assert.deepEqual(cgroups, [], 'its pids cgroup was removed before it exited');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
