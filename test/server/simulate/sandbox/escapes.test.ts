// Every bypass of the shims that made a real change in a dry run (issue 14), run for real: in the
// sandbox (bubblewrap and unshare) it runs inside, the report's state diff shows it, and the host's
// addresses, routes, rules and files are unchanged; without a sandbox (shims mode) it is refused.
// Addresses and routes are only ever made inside the sandbox's network namespace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { beforeEach, describe as suite, test } from 'node:test';
import { runHook } from '../../../../server/src/simulate/run';
import { isolationNote } from '../../../../server/src/simulate/sandbox/isolation';
import { SandboxTool } from '../../../../server/src/simulate/sandbox/detect';
import { defaultLimits, openSandbox, Sandbox } from '../../../../server/src/simulate/sandbox/sandbox';
import { Shims } from '../../../../server/src/simulate/shims';
import { hostNetwork } from '../../../helpers/hostNetwork';
import { simulationSandbox, sleepers, suiteSandbox } from '../support';

const box = simulationSandbox();
const tag = `${process.pid}-${Date.now()}`;

interface Escape {
  readonly name: string;
  /** The hook's lines after #!/bin/sh; $ADDR and $FILE are this escape's own address and file. */
  readonly lines: readonly string[];
  /** What the escape changes: an address on lo, or a file. */
  readonly changes: 'address' | 'file';
  /** Extra files beside the hook (a sourced library). */
  readonly beside?: Readonly<Record<string, readonly string[]>>;
  /** The static analysis cannot see it, so shims mode does not refuse it (the sandbox is the answer). */
  readonly unseenByAnalysis?: true;
}

const escapes: readonly Escape[] = [
  { name: 'an absolute path', lines: ['/usr/sbin/ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'touch by its path', lines: ['/usr/bin/touch $FILE'], changes: 'file' },
  { name: 'env', lines: ['env /usr/sbin/ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'exec', lines: ['exec /usr/sbin/ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'nohup', lines: ['nohup /usr/sbin/ip addr add $ADDR dev lo >/dev/null 2>&1'], changes: 'address' },
  { name: 'a PATH change', lines: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'command -p', lines: ['command -p ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'a path in a variable', lines: ['I=/usr/sbin/ip', '$I addr add $ADDR dev lo'], changes: 'address' },
  { name: 'eval', lines: ['eval "/usr/sbin/ip addr add $ADDR dev lo"'], changes: 'address' },
  { name: 'sh -c', lines: ["sh -c '/usr/sbin/ip addr add $ADDR dev lo'"], changes: 'address' },
  { name: 'a shell function wrapper', lines: ['f() { /usr/sbin/ip "$@"; }', 'f addr add $ADDR dev lo'], changes: 'address' },
  { name: 'cd then ./ip', lines: ['cd /usr/sbin && ./ip addr add $ADDR dev lo'], changes: 'address' },
  { name: 'find -exec', lines: ['find /usr/sbin -maxdepth 1 -name ip -exec {} addr add $ADDR dev lo \\;'], changes: 'address' },
  { name: 'a sourced file', lines: ['. ./lib-sourced.sh'], changes: 'file', beside: { 'lib-sourced.sh': ['/usr/bin/touch $FILE'] } },
  { name: 'python os.system', lines: [`python3 -c "import os; os.system('/usr/bin/touch $FILE')"`], changes: 'file' },
  { name: 'perl system()', lines: [`perl -e 'system("/usr/bin/touch", "$FILE")'`], changes: 'file' },
  { name: 'ifconfig (no shim)', lines: ['ifconfig lo:7 $BARE netmask 255.255.255.255 up'], changes: 'address' },
  { name: 'busybox ip (its own applet, not the shim)', lines: ['busybox ip addr add $ADDR dev lo'], changes: 'address' },
];

const hostFiles: string[] = [];

/** A hook that blanks and forges the record of what it ran, between two real calls of the ip shim. */
const forger = [
  '#!/bin/sh',
  'ip route add 192.168.50.0/24 dev tun0',
  'true > "$HOOKSMITH_SHIM_LOG"',
  `echo '{"argv":["ip","forged","old-style"]}' >> "$HOOKSMITH_SHIM_LOG"`,
  `echo "$$ {\\"argv\\":[\\"ip\\",\\"forged\\",\\"own-pid\\"]}" >> "$HOOKSMITH_SHIM_LOG"`,
  'for f in "$(dirname "$HOOKSMITH_SHIM_LOG")"/* /proc/self/fd/*; do true > "$f"; done 2>/dev/null',
  'ip link set tun0 up',
  'exit 0',
];
const genuine = [
  ['ip', 'route', 'add', '192.168.50.0/24', 'dev', 'tun0'],
  ['ip', 'link', 'set', 'tun0', 'up'],
];

/** The host's network state and the escapes' target files: must be the same before and after. */
function hostState(): string {
  return [hostNetwork(), ...hostFiles.map((f) => `${f}: ${fs.existsSync(f)}`)].join('\n');
}

function hookFor(e: Escape, i: number, tool: string): { script: string; addr: string; file: string } {
  const bare = `192.0.2.${100 + i}`;
  const addr = `${bare}/32`;
  const file = `/var/tmp/hooksmith-escape-${tag}-${tool}-${i}`;
  hostFiles.push(file);
  const fill = (l: string): string => l.replaceAll('$ADDR', addr).replaceAll('$FILE', file).replaceAll('$BARE', bare);
  for (const [name, lines] of Object.entries(e.beside ?? {})) box.hook(name, lines.map(fill));
  const script = box.hook(`OnConnect_${tool}_${i}.sh`, ['#!/bin/sh', ...e.lines.map(fill)]);
  return { script, addr, file };
}

for (const tool of ['bwrap', 'unshare'] as const satisfies readonly SandboxTool[]) {
  suite(`sandbox (${tool}): each bypass runs inside and the host is unchanged`, () => {
    const opened = suiteSandbox(box.dir, tool);
    let sandbox: Sandbox;
    let shims: Shims;
    beforeEach(() => ({ sandbox, shims } = opened.current()));

    escapes.forEach((e, i) => {
      test(`${e.name}: the change is in the report's diff, not on the host`, async () => {
        const { script, addr, file } = hookFor(e, i, tool);
        const host = hostState();
        const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
        assert.equal(hostState(), host, 'the host is unchanged');
        assert.equal(fs.existsSync(file), false);
        const added = result.state?.diff.filter((c) => c.change === 'added').map((c) => `${c.kind}: ${c.item}`) ?? [];
        const expected = e.changes === 'address' ? `addresses: lo inet ${addr}` : `files: created ${file}`;
        assert.ok(added.includes(expected), `${expected} in ${JSON.stringify(added)}; stderr: ${result.stderr}`);
      });
    });

    test('setsid env -i: the escapee is killed with the sandbox run, nothing survives on the host', async () => {
      const seconds = 3000 + Math.floor(Math.random() * 900);
      const script = box.hook(`OnConnect_${tool}_setsid.sh`, [
        '#!/bin/sh',
        `setsid env -i sh -c 'echo > /tmp/first; exec sleep ${seconds}' </dev/null >/dev/null 2>&1 &`,
        `env -i setsid -f sh -c 'echo > /tmp/second; exec sleep ${seconds + 1}' </dev/null >/dev/null 2>&1`,
        // Both have left the hook's group before it exits: otherwise, under load, the end of the run
        // could kill one with the group before its setsid, and it would never have escaped.
        'for i in $(seq 1000); do [ -e /tmp/first ] && [ -e /tmp/second ] && break; sleep 0.01; done',
        'exit 0',
      ]);
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.equal(result.exitCode, 0);
      assert.ok((result.escaped ?? []).length >= 2, JSON.stringify(result.escaped));
      assert.deepEqual(sleepers(seconds), [], 'no sleep of the hook lives');
    });

    test('overwriting the shim fails (the shims are read-only inside), and the call is still recorded', async () => {
      const script = box.hook(`OnConnect_${tool}_shim.sh`, [
        '#!/bin/sh',
        `printf '#!/bin/sh\\n/usr/sbin/ip "$@"\\n' > "$(command -v ip)"`,
        'ip addr add 192.0.2.99/32 dev lo',
        'exit 0',
      ]);
      const shim = fs.readFileSync(`${shims.dir}/ip`, 'utf8');
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.equal(fs.readFileSync(`${shims.dir}/ip`, 'utf8'), shim);
      assert.match(result.stderr, /Read-only file system/);
      assert.deepEqual(
        result.commands.map((c) => c.argv),
        [['ip', 'addr', 'add', '192.0.2.99/32', 'dev', 'lo']],
      );
    });

    test("a hook that blanks or forges the shims' record does not change the reported calls", async () => {
      const script = box.hook(`OnConnect_${tool}_forge.sh`, forger);
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual(
        result.commands.map((c) => c.argv),
        genuine,
      );
    });

    test(
      'a fork bomb (bounded: 2,047 processes at most) is stopped at the process cap with a clear message, and nothing ' + 'of it lives on',
      async () => {
        const seconds = 4000 + Math.floor(Math.random() * 900);
        const script = box.hook(`OnConnect_${tool}_forkbomb.sh`, [
          '#!/bin/sh',
          `f() { [ "$1" -gt 0 ] || exec sleep ${seconds}; f $(($1 - 1)) & f $(($1 - 1)) & wait; }`,
          // In a subshell: under load the cap can be reached before the hook's own second fork, and a shell that cannot fork exits.
          '(f 10)',
          // The hook itself stays: its forks failing at the cap can end all its children (and so its wait) before the guard looks.
          `exec sleep ${seconds}`,
        ]);
        const capped = await openSandbox({
          tool,
          network: { addresses: [] },
          readOnly: [box.dir, ...shims.shown],
          writable: [],
          home: '/root',
          limits: { ...defaultLimits, processes: 64 },
        });
        try {
          const result = await runHook({ event: 'connect', script }, { sandbox: capped, shims, onSpawn: box.track, timeoutMs: 30_000 });
          assert.equal(result.signal, 'SIGKILL', `${result.exitCode} ${result.stderr}`);
          assert.match(
            result.stderr,
            new RegExp(
              String.raw`hooksmith: the hook had \d+ processes running at once, over the sandbox's cap of 64` +
                String.raw` \(hooksmith\.simulate\.limits\.processes\): every process in the sandbox was killed\.`,
            ),
          );
          assert.equal(result.timedOut, false);
          assert.deepEqual(sleepers(seconds), [], 'no process of the bomb lives');
          // The cap holds within a few processes (the kernel's: RLIMIT_NPROC, or as root a pids cgroup), not at about 130.
          const had = Number(/the hook had (\d+) processes/.exec(result.stderr)?.[1]);
          assert.ok(had <= 68, `${had} processes against a cap of 64`);
        } finally {
          capped.dispose();
        }
      },
    );

    test(
      'a run that changes nothing, then runs that change the nft rule set, an IPv6 rule, a route, a link, sysctls (by ' +
        "echo, by sysctl -w, of the new link, through a link change): each diff shows its own change (the route's alone)",
      async () => {
        const steps: [string, string, string][] = [
          ['nothing', 'exit 0', ''],
          ['nft', '/usr/sbin/nft add table inet hooksmith_t', 'nft: table inet hooksmith_t {'],
          ['rule6', '/usr/sbin/ip -6 rule add from all lookup 123', 'rules: 32765: from all lookup 123'],
          // Listed again without the IPv6 rules (they have no news): the rule above is still in the state, not "removed".
          ['route', '/usr/sbin/ip route add 198.51.100.0/24 dev tun0', 'routes: 198.51.100.0/24 dev tun0 scope link'],
          ['nothing again', 'true', ''],
          ['link', '/usr/sbin/ip link add hs-br0 type bridge', 'links: hs-br0: <BROADCAST,MULTICAST>'],
          ['sysctl', 'echo 1 > /proc/sys/net/ipv4/ip_forward', 'sysctls: net.ipv4.ip_forward = 1'],
          ['the same value again', 'echo 1 > /proc/sys/net/ipv4/ip_forward', ''],
          [
            'a sysctl of the new link',
            'echo 1 > /proc/sys/net/ipv4/conf/hs-br0/accept_local',
            'sysctls: net.ipv4.conf.hs-br0.accept_local = 1',
          ],
          ['sysctl -w', '/usr/sbin/sysctl -q -w net.ipv6.conf.tun0.forwarding=1', 'sysctls: net.ipv6.conf.tun0.forwarding = 1'],
          ['a link change that changes a sysctl', '/usr/sbin/ip link set tun0 mtu 1300', 'sysctls: net.ipv6.conf.tun0.mtu = 1300'],
          ['nothing at the end', ':', ''],
        ];
        for (const [i, [what, line, expected]] of steps.entries()) {
          const script = box.hook(`OnConnect_${tool}_news_${i}.sh`, ['#!/bin/sh', line]);
          const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
          const added = result.state?.diff.filter((c) => c.change === 'added').map((c) => `${c.kind}: ${c.item}`) ?? [];
          if (expected) assert.ok(added.includes(expected), `${what}: ${expected} in ${JSON.stringify(added)}; ${result.stderr}`);
          else assert.deepEqual(result.state?.diff, [], what);
          if (what === 'route') {
            const changes = result.state?.diff.map((c) => `${c.change} ${c.kind}: ${c.item}`);
            assert.deepEqual(changes, [`added ${expected}`], what);
          }
        }
      },
    );

    test(
      "ping has no route out: it fails at once, the run's state shows the unreachable default route, and the report " +
        'says nothing leaves',
      async () => {
        const script = box.hook(`OnConnect_${tool}_ping.sh`, ['#!/bin/sh', 'ping -c 1 -W 1 192.0.2.1', 'echo "ping exit $?"']);
        const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
        assert.match(result.stdout, /ping exit 2/);
        assert.match(result.stderr, /No route to host|Network is unreachable/);
        assert.ok(result.state?.before.routes?.includes('unreachable default'), JSON.stringify(result.state?.before.routes));
        assert.match(
          isolationNote(sandbox.isolation),
          new RegExp(
            String.raw`no route out: loopback, the tunnel device \(connected to nothing\) and an unreachable` +
              String.raw` default route, so nothing a hook sends \(ping, curl, \.\.\.\) leaves this machine`,
          ),
        );
      },
    );

    test(
      'the spawn race: a hook that starts children in new sessions' + ' and exits at once leaves none alive, six times out of six',
      async () => {
        for (let round = 0; round < 6; round++) {
          const seconds = 5000 + round * 10 + Math.floor(Math.random() * 9);
          const script = box.hook(`OnConnect_${tool}_race_${round}.sh`, [
            '#!/bin/sh',
            `for i in 1 2 3 4; do setsid sleep ${seconds} & (env -i setsid sleep ${seconds} &) & done`,
            'exit 0',
          ]);
          const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
          assert.equal(result.exitCode, 0, result.stderr);
          assert.deepEqual(sleepers(seconds), [], `round ${round}: no child of the hook lives`);
        }
      },
    );

    test('a hook that appends a line to itself cannot (its folder is read-only inside)', async () => {
      const file = `/var/tmp/hooksmith-append-${tag}-${tool}`;
      const script = box.hook(`OnConnect_${tool}_append.sh`, ['#!/bin/sh', `echo '/usr/bin/touch ${file}' >> "$0"`, 'exit 0']);
      const text = fs.readFileSync(script, 'utf8');
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.equal(fs.readFileSync(script, 'utf8'), text);
      assert.match(result.stderr, /Read-only file system/);
      assert.equal(fs.existsSync(file), false);
    });

    test('a hook over the memory limit fails inside (a 1.5 GB allocation)', async () => {
      const script = box.hook(`OnConnect_${tool}_memory.sh`, [
        '#!/bin/sh',
        'python3 -c "b = bytearray(1536 * 1024 * 1024); print(len(b))"',
      ]);
      const result = await runHook({ event: 'connect', script }, { sandbox, shims, onSpawn: box.track });
      assert.notEqual(result.exitCode, 0);
      assert.match(result.stderr, /MemoryError/);
    });
  });
}

suite('shims mode: each bypass the analysis sees is refused before it runs', () => {
  escapes.forEach((e, i) => {
    test(`${e.name}: not run, and nothing changed`, async () => {
      const { script, file } = hookFor(e, i, 'shims');
      const host = hostState();
      const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
      assert.equal(result.notRun?.reason, 'unintercepted', JSON.stringify(result.notIntercepted));
      assert.match(result.notRun?.message ?? '', /would bypass them and run for real/);
      assert.equal(result.pid, undefined, 'never spawned');
      assert.equal(hostState(), host);
      assert.equal(fs.existsSync(file), false);
    });
  });
});

suite('shims mode: the spawn race', () => {
  test('a hook that starts children in new sessions and exits at once leaves none alive, six times out of six', async () => {
    for (let round = 0; round < 6; round++) {
      const seconds = 6000 + round * 10 + Math.floor(Math.random() * 9);
      const script = box.hook(`OnConnect_shims_race_${round}.sh`, [
        '#!/bin/sh',
        `for i in 1 2 3 4; do setsid sleep ${seconds} & (setsid sleep ${seconds} &) & done`,
        'exit 0',
      ]);
      const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual(sleepers(seconds), [], `round ${round}: no child of the hook lives`);
    }
  });
});

suite('shims mode: the record of what would run', () => {
  test("a hook that blanks or forges the shims' record does not change the reported calls", async () => {
    const script = box.hook('OnConnect_shims_forge.sh', forger);
    const result = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(
      result.commands.map((c) => c.argv),
      genuine,
    );
  });
});
