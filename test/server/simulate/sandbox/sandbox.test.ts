// The sandbox's remaining isolation holes (issue 14), with real processes and sockets, under bubblewrap and unshare:
// what the hooks reach of this machine's daemons, and what one run can do to another sharing the sandbox.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, beforeEach, describe as suite, test } from 'node:test';
import { runGroup } from '../../../../server/src/simulate/group-run';
import { runHook } from '../../../../server/src/simulate/run';
import { SandboxTool } from '../../../../server/src/simulate/sandbox/detect';
import { isolationNote } from '../../../../server/src/simulate/sandbox/isolation';
import { defaultLimits, openSandbox, Sandbox } from '../../../../server/src/simulate/sandbox/sandbox';
import { Shims } from '../../../../server/src/simulate/shims';
import { requireSandbox, simulationSandbox, sleepers, suiteSandbox } from '../support';

const box = simulationSandbox();
const tag = `${process.pid}-${Date.now()}`;

/** A unix socket this machine listens on, and the connections it took. */
async function listener(file: string): Promise<{ accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = net.createServer((c) => {
    accepted++;
    c.destroy();
  });
  await new Promise<void>((resolve) => server.listen(file, resolve));
  return { accepted: () => accepted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A hook line that connects to a unix socket and says how it went. */
const connect = (file: string): string =>
  `perl -MIO::Socket::UNIX -e 'print IO::Socket::UNIX->new(Peer => $ARGV[0]) ? "connected\\n" : "refused: $!\\n"' ${file}`;

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): the hooks reach no daemon of this machine`, () => {
    const opened = suiteSandbox(box.dir, tool);
    let sandbox: Sandbox;
    let shims: Shims;
    beforeEach(() => ({ sandbox, shims } = opened.current()));
    const hostRun = `/run/hooksmith-test-${tag}-${tool}`;
    after(() => fs.rmSync(hostRun, { recursive: true, force: true }));

    test("a socket this machine listens on in the hook's own folder cannot be connected to from inside", async () => {
      const socket = path.join(box.dir, `daemon-${tool}.sock`);
      const daemon = await listener(socket);
      try {
        const script = box.hook(`OnConnect_${tool}_socket.sh`, ['#!/bin/sh', connect(socket)]);
        const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
        assert.match(result.stdout, /^refused: /, result.stderr);
        assert.equal(daemon.accepted(), 0);
      } finally {
        await daemon.close();
      }
    });

    test("/run is the sandbox's own: this machine's sockets and state there are not seen, a hook's files there are listed", async () => {
      fs.mkdirSync(hostRun, { recursive: true });
      const daemon = await listener(path.join(hostRun, 'daemon.sock'));
      try {
        const script = box.hook(`OnConnect_${tool}_run.sh`, [
          '#!/bin/sh',
          `ls ${hostRun} >/dev/null 2>&1 && echo "host /run seen"`,
          connect(`${hostRun}/daemon.sock`),
          `echo 1 > /var/run/hooksmith-${tool}.pid`,
          'ls -d /run/lock',
        ]);
        const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
        assert.doesNotMatch(result.stdout, /host \/run seen/);
        assert.match(result.stdout, /^refused: /m);
        assert.match(result.stdout, /^\/run\/lock$/m, result.stderr);
        assert.equal(daemon.accepted(), 0);
        assert.equal(fs.existsSync(`/run/hooksmith-${tool}.pid`), false);
        const added = result.state?.diff.filter((c) => c.change === 'added').map((c) => `${c.kind}: ${c.item}`) ?? [];
        assert.ok(added.includes(`files: created /run/hooksmith-${tool}.pid`), JSON.stringify(added));
      } finally {
        await daemon.close();
      }
    });
  });
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): each run has its own PID namespace`, () => {
    const opened = suiteSandbox(box.dir, tool);
    let sandbox: Sandbox;
    let shims: Shims;
    beforeEach(() => ({ sandbox, shims } = opened.current()));

    // A time limit: before runs had namespaces of their own, the killed runs could leave this test waiting for good.
    test(
      "a hook's kill -9 -1 kills its own run's processes only: another run and the sandbox's holder live on",
      { timeout: 60_000 },
      async () => {
        const seconds = 7000 + Math.floor(Math.random() * 900);
        const ready = `/tmp/ready-${tool}`;
        const done = `/tmp/killed-${tool}`;
        const survivor = box.hook(`OnConnect_${tool}_survivor.sh`, [
          '#!/bin/sh',
          `touch ${ready}`,
          `for i in $(seq 1000); do [ -e ${done} ] && break; sleep 0.01; done`,
          'ip link set tun0 up',
          'echo "still here"',
        ]);
        const killer = box.hook(`OnConnect_${tool}_killer.sh`, [
          '#!/bin/sh',
          `sleep ${seconds} & own=$!`,
          `for i in $(seq 1000); do [ -e ${ready} ] && break; sleep 0.01; done`,
          'kill -9 -1',
          `touch ${done}`,
          'wait $own; echo "own sleep ended: $?"',
        ]);
        const [kept, killed] = await Promise.all([
          runHook({ event: 'connect', script: survivor }, { sandbox, shims, onSpawn: box.track, timeoutMs: 20_000 }),
          runHook({ event: 'connect', script: killer }, { sandbox, shims, onSpawn: box.track, timeoutMs: 20_000 }),
        ]);
        assert.equal(kept.signal, null, kept.stderr);
        assert.equal(kept.exitCode, 0, kept.stderr);
        assert.match(kept.stdout, /still here/);
        // Its shim call is still its own, recorded once, after the other run's kill.
        assert.deepEqual(
          kept.commands.map((c) => c.argv),
          [['ip', 'link', 'set', 'tun0', 'up']],
        );
        assert.match(killed.stdout, /own sleep ended: 137/, killed.stderr);
        assert.ok(
          (await sandbox.probe()).links?.some((l) => l.startsWith('tun0:')),
          'the holder still answers',
        );
      },
    );

    test(
      "a run sees its own PID namespace's /proc: $$ and pgrep agree, ps shows only the run's processes, and only the " +
        "network's sysctls can be written there",
      async () => {
        const script = box.hook(`OnConnect_${tool}_ownproc.sh`, [
          '#!/bin/sh',
          'echo "self $$"',
          `echo "pgrep $(pgrep -f OnConnect_${tool}_ownproc)"`,
          'ps -e -o pid=,comm=',
          '/usr/bin/mount -o remount,rw /proc 2>/dev/null; echo "remount $?"',
          'echo 3 2>/dev/null > /proc/sys/vm/drop_caches; echo "kernel sysctl $?"',
          '/usr/sbin/sysctl -q -w net.ipv4.ip_forward=1; echo "network sysctl $?"',
        ]);
        const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
        const self = /^self (\d+)$/m.exec(result.stdout)?.[1];
        assert.equal(/^pgrep (.*)$/m.exec(result.stdout)?.[1], self, result.stdout + result.stderr);
        const ps = result.stdout
          .split('\n')
          .filter((l) => /^\s+\d+ /.test(l))
          .map((l) => l.trim().split(/\s+/));
        assert.deepEqual(
          ps.map(([pid, comm]) => (pid === self ? 'hook' : comm)),
          ['hooksmith-run-i', 'hook', 'ps'],
          "the run's init, the hook and ps: no other run, no holder",
        );
        assert.match(result.stdout, /^remount [1-9]/m);
        assert.match(result.stdout, /^kernel sysctl [1-9]/m);
        assert.match(result.stdout, /^network sysctl 0$/m, result.stderr);
        const added = result.state?.diff.filter((c) => c.change === 'added').map((c) => `${c.kind}: ${c.item}`) ?? [];
        assert.ok(added.includes('sysctls: net.ipv4.ip_forward = 1'), JSON.stringify(added));
      },
    );

    test('a network sysctl whose value is longer than the first read asks for (4 KB) is reported whole', async () => {
      // Every other port from 1000 to 9000, as the kernel lists them back: 4,001 ports, about 20 KB.
      const ports = Array.from({ length: 4001 }, (_, i) => 1000 + 2 * i).join(',');
      const script = box.hook(`OnConnect_${tool}_longsysctl.sh`, [
        '#!/bin/sh',
        `echo ${ports} > /proc/sys/net/ipv4/ip_local_reserved_ports; echo "written $?"`,
      ]);
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.match(result.stdout, /^written 0$/m, result.stderr);
      const after = result.state?.after.sysctls?.find((l) => l.startsWith('net.ipv4.ip_local_reserved_ports ='));
      assert.equal(after?.length, 'net.ipv4.ip_local_reserved_ports = '.length + ports.length);
      assert.equal(after, `net.ipv4.ip_local_reserved_ports = ${ports}`);
      const added = result.state?.diff.filter((c) => c.change === 'added' && c.kind === 'sysctls').map((c) => c.item);
      assert.deepEqual(added, [`net.ipv4.ip_local_reserved_ports = ${ports}`]);
    });

    test('the report says each run has its own PID namespace and /proc, the private /run, and which process cap applied', () => {
      const note = isolationNote(sandbox.isolation);
      assert.match(
        note,
        new RegExp(
          String.raw`with a private /run; each run in a PID namespace of its own, with its own read-only /proc ` +
            String.raw`\(the network's sysctls writable\), where what it leaves running is killed when it ends`,
        ),
      );
      // As root where a pids hierarchy can be written (this machine kind), the kernel holds the cap through a pids cgroup.
      const pidsCgroup = process.getuid?.() === 0 && fs.existsSync('/sys/fs/cgroup/pids/cgroup.procs');
      assert.match(
        note,
        pidsCgroup
          ? /the process cap of 256 held by the kernel \(a pids cgroup's pids\.max\)/
          : /the process cap of 256 held by (the kernel \(RLIMIT_NPROC\)|a count every 10 ms only)/,
      );
    });

    test(
      "what a run leaves running is killed at that run's end, and reported, while another run goes on",
      { timeout: 60_000 },
      async () => {
        const seconds = 6000 + Math.floor(Math.random() * 900);
        const started = `/tmp/long-started-${tool}`;
        const done = `/tmp/long-done-${tool}`;
        const long = box.hook(`OnConnect_${tool}_long.sh`, [
          '#!/bin/sh',
          `touch ${started}`,
          `for i in $(seq 2000); do [ -e ${done} ] && break; sleep 0.01; done`,
          'echo "long ended"',
        ]);
        const leaver = box.hook(`OnConnect_${tool}_leaver.sh`, [
          '#!/bin/sh',
          `for i in $(seq 1000); do [ -e ${started} ] && break; sleep 0.01; done`,
          `env -i setsid sleep ${seconds} >/dev/null 2>&1 < /dev/null &`,
          'sleep 0.2',
        ]);
        const ender = box.hook(`OnConnect_${tool}_ender.sh`, ['#!/bin/sh', `touch ${done}`]);
        const opts = { sandbox, shims, onSpawn: box.track, timeoutMs: 30_000 };
        const longRun = runHook({ event: 'connect', script: long }, opts);
        const left = await runHook({ event: 'connect', script: leaver }, opts);
        const alive = sleepers(seconds); // the long run is still on
        await runHook({ event: 'connect', script: ender }, opts);
        const kept = await longRun;
        assert.deepEqual(alive, [], 'the leftover sleep is dead once its run has ended');
        assert.ok(
          (left.escaped ?? []).some((e) => e.command === `sleep ${seconds}`),
          JSON.stringify(left.escaped),
        );
        assert.match(kept.stdout, /long ended/, kept.stderr);
      },
    );
  });
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): the status of a tool a shim ran`, () => {
    const opened = suiteSandbox(box.dir, tool);
    let sandbox: Sandbox;
    let shims: Shims;
    beforeEach(() => ({ sandbox, shims } = opened.current()));

    test('a hook that forges the exit line of its own shim while the tool runs does not change the status reported', async () => {
      const script = box.hook(`OnConnect_${tool}_status.sh`, [
        '#!/bin/sh',
        'mkfifo /tmp/feed',
        'ip -batch - < /tmp/feed &',
        'exec 3> /tmp/feed',
        // The shim (as the sandbox's /proc shows it, where shims read their pid), once its real ip runs: the line it will send, forged
        // first.
        'for i in $(seq 500); do',
        '  for p in /.hooksmith/proc/[0-9]*; do',
        "    case \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" in",
        '    "/bin/sh "*/ip" -batch - ") shim=${p##*/} ;;',
        '    *sbin/ip" -batch - ") tool=yes ;;',
        '    esac',
        '  done',
        '  [ -n "$shim" ] && [ -n "$tool" ] && break; sleep 0.01',
        'done',
        'echo "$shim exit 42" > "$HOOKSMITH_SHIM_LOG"; echo "$shim exit" > "$HOOKSMITH_SHIM_LOG"',
        'sleep 0.3',
        'echo "link set tun0 up" >&3; exec 3>&-',
        'wait $!; echo "ip said $?"',
      ]);
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.match(result.stdout, /ip said 0/, result.stderr);
      assert.deepEqual(result.commands, [{ argv: ['ip', '-batch', '-'], sandbox: { ran: true, exitCode: 0 } }]);
    });
  });
}

/** The system call a process is blocked in, and its first argument: `read 3` for a read of fd 3. */
function blockedIn(pid: number): string | undefined {
  const [nr, fd] = (readOrNone(`/proc/${pid}/syscall`) ?? '').split(' ');
  const read = process.arch === 'x64' ? '0' : '63'; // arm64, riscv64, loong64: the generic table
  return nr === read ? `read ${Number(fd)}` : undefined;
}

function readOrNone(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): a run starts once the state it starts from is read`, () => {
    // The runner asks for the "before" state as the hook's waiter starts: the hook must not start until it is there.
    const run = async (gate: Promise<unknown>, work: string, waitAtGate: (waiter: number) => Promise<void>) => {
      const sandbox = await openSandbox({
        tool,
        network: { addresses: [] },
        readOnly: [box.dir],
        writable: [work],
        home: '/root',
        limits: defaultLimits,
      });
      try {
        const hook = box.hook(`OnConnect_${tool}_gate.sh`, ['#!/bin/sh', `echo started > ${work}/started`]);
        let waiter = 0;
        const ran = runGroup(hook, {
          env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
          timeoutMs: 60_000,
          graceMs: 1_000,
          outputCap: 1 << 20,
          nextEventGraceMs: 500,
          wrap: (l) => sandbox.wrap({ ...l, gate }),
          onSpawn: (pid) => {
            waiter = pid;
            box.track(pid);
          },
        });
        for (let i = 0; i < 1000 && !waiter; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        await waitAtGate(waiter);
        return await ran;
      } finally {
        sandbox.dispose();
      }
    };

    test('the hook is not started while the gate is shut, and is once it opens', async () => {
      const work = fs.mkdtempSync(path.join(box.dir, 'work-'));
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const result = await run(gate, work, async (waiter) => {
        for (let i = 0; i < 2000 && blockedIn(waiter) !== 'read 3'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(blockedIn(waiter), 'read 3', 'the waiter waits at its gate');
        assert.equal(fs.existsSync(path.join(work, 'started')), false, 'the hook did not start before the gate opened');
        open();
      });
      assert.equal(result.exitCode, 0, result.stderr.text);
      assert.equal(readOrNone(path.join(work, 'started')), 'started\n');
    });

    test('a gate that fails (the state could not be read) starts no hook, and says why', async () => {
      const work = fs.mkdtempSync(path.join(box.dir, 'work-'));
      const gate = Promise.reject(new Error('no state'));
      gate.catch(() => undefined);
      const result = await run(gate, work, async () => undefined);
      assert.equal(result.exitCode, 127);
      assert.match(result.stderr.text, /the hook was not started: the sandbox's state could not be read before it/);
      assert.equal(fs.existsSync(path.join(work, 'started')), false);
    });
  });
}

/** The kernel log's records (/dev/kmsg: "prio,seq,time,flags;message") after sequence number `since`; undefined where it cannot be read. */
function kernelLog(since = -1): { last: number; messages: string[] } | undefined {
  let fd: number;
  try {
    fd = fs.openSync('/dev/kmsg', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  const buffer = Buffer.alloc(8192);
  const out = { last: since, messages: [] as string[] };
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buffer);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') continue; // overwritten while read: the next record follows
        break; // EAGAIN: no more
      }
      const record = buffer.toString('utf8', 0, n);
      const seq = Number(record.split(',')[1]);
      if (seq <= since) continue;
      out.last = Math.max(out.last, seq);
      out.messages.push(record.slice(record.indexOf(';') + 1).split('\n')[0]);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): a top-level folder with this machine's mounts beneath it`, () => {
    // Such a folder cannot be a lower layer in the sandbox (its mounts are locked there): the kernel refuses the overlay and
    // logs an error. Made here in a mount namespace of the test's own (a tmpfs over /var/tmp), not on this machine.
    const under = '/var/tmp';
    const usable = process.getuid?.() === 0 && fs.existsSync(under) && kernelLog() !== undefined;
    test('is reported as not visible inside, and the sandbox writes no error to the kernel log for it', { skip: !usable }, () => {
      const program = [
        requireSandbox,
        `const spec = { tool: '${tool}', network: { addresses: [] }, readOnly: [], writable: [], home: '/root' };`,
        'sb.openSandbox({ ...spec, limits: sb.defaultLimits })',
        '  .then((s) => { console.log(s.isolation.reason); s.dispose(); }, (e) => { console.log(String(e)); process.exitCode = 1; });',
      ].join('\n');
      const before = kernelLog() as { last: number };
      const r = spawnSync(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount -t tmpfs hooksmith-test "$1" && exec "$2" -e "$3"',
          'sh',
          under,
          process.execPath,
          program,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\(not visible inside: [^)]*\/var\b/);
      const logged = kernelLog(before.last)?.messages.filter((m) => /overlayfs/.test(m)) ?? [];
      assert.deepEqual(logged, [], 'no overlayfs error in the kernel log');
    });
  });
}
