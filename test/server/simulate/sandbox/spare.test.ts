// A sandbox started ahead (issue 14's start-up cost): the next dry run like the last one is served by a spare that was
// made while nothing waited, with real namespaces, under bubblewrap and unshare. It must be as fresh as a new one, as
// locked, and die with the process that made it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { runHook } from '../../../../server/src/simulate/run';
import { SandboxTool } from '../../../../server/src/simulate/sandbox/detect';
import { defaultLimits, keepSpareSandbox, openSandbox, Sandbox, spareReady } from '../../../../server/src/simulate/sandbox/sandbox';
import { holderName } from '../../../../server/src/simulate/sandbox/scripts';
import { createShims, Shims } from '../../../../server/src/simulate/shims';
import { holdersOf, readOrNone, sandboxProcess, simulationSandbox } from '../support';

const box = simulationSandbox();
after(() => keepSpareSandbox(false));

const holders = holdersOf;

/** The holders once those killed are dead (a SIGKILL takes effect when the process next runs), `left` of them at most: 10 s. */
async function settledHolders(left = 1): Promise<number[]> {
  for (let i = 0; i < 1000; i++) {
    const found = holders();
    if (found.length <= left) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return holders();
}

const open = (tool: SandboxTool, shims: Shims, writable: string[] = []): Promise<Sandbox> =>
  openSandbox({
    tool,
    network: { device: 'tun0', addresses: ['10.0.0.42/24'] },
    readOnly: [box.dir, ...shims.shown.filter((f) => !shims.perRun.includes(f))],
    perRun: shims.perRun,
    writable,
    home: '/root',
    limits: defaultLimits,
  });

/** One dry run of `script` in a sandbox opened for it, disposed after. */
async function dryRun(tool: SandboxTool, script: string, writable: string[] = []) {
  const shims = createShims();
  const sandbox = await open(tool, shims, writable);
  try {
    return await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
  } finally {
    sandbox.dispose();
    shims.dispose();
  }
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): a spare started ahead`, () => {
    test('serves the next dry run like the last, and shows nothing of the run before it', async () => {
      keepSpareSandbox(true);
      try {
        const dirty = box.hook(`OnConnect_${tool}_dirty.sh`, [
          '#!/bin/sh',
          'ip route add 192.168.77.0/24 dev tun0',
          'echo 1 > /proc/sys/net/ipv4/ip_forward',
          `echo kept > /etc/hooksmith-spare-${tool}`,
          `echo kept > /tmp/hooksmith-spare-${tool}`,
        ]);
        const first = await dryRun(tool, dirty);
        assert.equal(first.exitCode, 0, first.stderr);
        assert.ok(await spareReady(), 'a spare was started once the first sandbox was disposed');
        // The first sandbox's holder was SIGKILLed at its disposal; on a loaded machine it dies when it next runs.
        const spares = await settledHolders();
        assert.equal(spares.length, 1, 'the spare is the one running sandbox holder');
        const spareHolder = spares[0];

        const look = box.hook(`OnConnect_${tool}_look.sh`, [
          '#!/bin/sh',
          '/sbin/ip route show | grep -q 192.168.77 && echo "route seen"',
          'cat /proc/sys/net/ipv4/ip_forward',
          `cat /etc/hooksmith-spare-${tool} /tmp/hooksmith-spare-${tool} 2>/dev/null && echo "file seen"`,
          'ip link set tun0 up',
        ]);
        const shims = createShims();
        const sandbox = await open(tool, shims);
        try {
          assert.ok(holders().includes(spareHolder), 'the request was served by the spare, not by a new sandbox');
          const next = await runHook({ event: 'connect', script: look }, { sandbox, shims, onSpawn: box.track });
          assert.equal(next.exitCode, 0, next.stderr);
          assert.equal(next.stdout, '0\n');
          assert.deepEqual(next.state?.diff, []);
          assert.equal(
            next.state?.before.routes?.some((r) => r.includes('192.168.77')),
            false,
          );
          // The record channel, bound when the spare was handed out, carries this run's shim calls.
          assert.deepEqual(next.commands, [{ argv: ['ip', 'link', 'set', 'tun0', 'up'], sandbox: { ran: true, exitCode: 0 } }]);
        } finally {
          sandbox.dispose();
          shims.dispose();
        }
      } finally {
        keepSpareSandbox(false);
      }
    });

    // Shorewall's run folder and OpenVPN's temporary files: a folder of each run's own, bound writable at the claim.
    test("serves a run with a work folder of its own, shows nothing of the last run's, and the hook cannot remount it", async () => {
      keepSpareSandbox(true);
      const [last, mine] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), `hooksmith-spare-work-${tool}-`)));
      try {
        const write = box.hook(`OnConnect_${tool}_work.sh`, ['#!/bin/sh', `echo secret > ${last}/secret`]);
        const first = await dryRun(tool, write, [last]);
        assert.equal(first.exitCode, 0, first.stderr);
        assert.equal(readOrNone(path.join(last, 'secret')), 'secret\n', "the last run's work folder was writable");
        assert.ok(await spareReady());
        const [spareHolder] = await settledHolders();

        const look = box.hook(`OnConnect_${tool}_own_work.sh`, [
          '#!/bin/sh',
          `cat ${last}/secret 2>/dev/null && echo "saw the last run's work"`,
          `echo mine > ${mine}/out`,
          `/usr/bin/umount -l ${mine} 2>/dev/null && echo unmounted`,
          `/usr/bin/umount ${mine} 2>/dev/null && echo unmounted`,
          `echo again > ${mine}/again`,
          // Read-only for the file system under it all (this machine's): refused. (A bind made read-only would only be
          // the hook's own loss: the kernel lets a mount be tightened, never loosened.)
          `/usr/bin/mount -o remount,ro ${mine} 2>/dev/null && echo remounted`,
          'echo done',
        ]);
        const shims = createShims();
        const sandbox = await open(tool, shims, [mine]);
        try {
          assert.deepEqual(holders(), [spareHolder], 'a run with another work folder was served by the spare, no sandbox started');
          const next = await runHook({ event: 'connect', script: look }, { sandbox, shims, onSpawn: box.track });
          assert.equal(next.stdout, 'done\n', next.stderr);
        } finally {
          sandbox.dispose();
          shims.dispose();
        }
        // Written through the bound folder, before and after the tries: it stayed this machine's folder, writable.
        assert.equal(readOrNone(path.join(mine, 'out')), 'mine\n');
        assert.equal(readOrNone(path.join(mine, 'again')), 'again\n');
      } finally {
        keepSpareSandbox(false);
        for (const dir of [last, mine]) fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    const locked = "a hook in a sandbox a spare served cannot remount or unmount the hooks', the shims' or the record channel's folder";
    test(`${locked} to write there`, async () => {
      keepSpareSandbox(true);
      const shims = createShims();
      const channel = path.dirname(shims.channel);
      try {
        const script = box.hook(`OnConnect_${tool}_remount.sh`, [
          '#!/bin/sh',
          `for d in ${box.dir} ${shims.dir} ${channel}; do`,
          '  /usr/bin/mount -o remount,rw "$d" 2>/dev/null && echo "remounted $d"',
          '  /usr/bin/mount -o remount,bind,rw "$d" 2>/dev/null',
          '  (echo forged > "$d/ip") 2>/dev/null && echo "wrote $d"',
          'done',
          `for d in ${box.dir} ${shims.dir} ${channel}; do /usr/bin/umount -l "$d" 2>/dev/null && echo "unmounted $d"; done`,
          'ip link set tun0 up',
          'echo done',
        ]);
        await dryRun(tool, script); // the spare is started once this one is disposed
        assert.ok(await spareReady());
        const sandbox = await open(tool, shims);
        try {
          const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
          assert.equal(result.stdout, 'done\n', result.stderr);
          // The channel is still there after the tries: the call after them is recorded.
          assert.deepEqual(result.commands, [{ argv: ['ip', 'link', 'set', 'tun0', 'up'], sandbox: { ran: true, exitCode: 0 } }]);
        } finally {
          sandbox.dispose();
        }
        for (const dir of [box.dir, shims.dir, channel]) assert.notEqual(readOrNone(path.join(dir, 'ip')), 'forged\n', dir);
      } finally {
        shims.dispose();
        keepSpareSandbox(false);
      }
    });
  });
}

suite('a spare sandbox ends with the process that started it', () => {
  test('a process killed while its spare waits leaves no sandbox holder behind', { timeout: 60_000 }, async () => {
    const { child, said } = await sandboxProcess([
      `sb.keepSpareSandbox(true);`,
      `sb.openSandbox({ network: { addresses: [] }, readOnly: [], writable: [], home: '/root', limits: sb.defaultLimits })`,
      `  .then((s) => { s.dispose(); return sb.spareReady(); })`,
      `  .then((ok) => { console.log(ok ? 'spare ready' : 'no spare'); setInterval(() => undefined, 1000); });`,
    ]);
    assert.equal(said, 'spare ready\n');
    const spares = holders(child.pid);
    assert.equal(spares.length, 1, 'the child keeps one spare');
    child.kill('SIGKILL');
    const alive = (): boolean => readOrNone(`/proc/${spares[0]}/cmdline`)?.split('\0')[0] === holderName;
    for (let i = 0; i < 500 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(alive(), false, 'the spare died with its process');
  });
});

suite('a sandbox that cannot be handed out', () => {
  test("a run's own folder that cannot be shown refuses the sandbox with the reason, and leaves no holder", async () => {
    const missing = path.join(box.dir, 'no-such-folder');
    await assert.rejects(
      openSandbox({ network: { addresses: [] }, readOnly: [box.dir], writable: [missing], home: '/root', limits: defaultLimits }),
      (e: Error) => e.message.includes(`could not be handed out: ${missing}: not a folder`),
    );
    assert.deepEqual(await settledHolders(0), []);
  });
});
