// The shims are made once per process and shared by its dry runs (shimFolder.ts): what one run's
// hook does to them, or to another run's record channel, must never reach another run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe as suite, test } from 'node:test';
import { loadShellParser } from '../../../server/src/shell/parser';
import { runHook } from '../../../server/src/simulate/run';
import { createShims, shimmedCommands } from '../../../server/src/simulate/shims';
import { simulationSandbox } from './support';

const box = simulationSandbox();
before(() => loadShellParser());

/** The shim folder a run's hook finds first in PATH, and each shim's inode. */
function shimFolderOf(stdout: string): { dir: string; inodes: Map<string, number> } {
  const dir = path.dirname(stdout.trim());
  return { dir, inodes: new Map(fs.readdirSync(dir).map((n) => [n, fs.lstatSync(path.join(dir, n)).ino])) };
}

suite('the shim folder: made once per process', () => {
  test('a second dry run finds the same shims, not new copies of them', async () => {
    const script = box.hook('OnConnect_where.sh', ['#!/bin/sh', 'command -v ip']);
    const first = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    const second = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(first.exitCode, 0, first.stderr);
    const a = shimFolderOf(first.stdout);
    const b = shimFolderOf(second.stdout);
    assert.equal(b.dir, a.dir);
    assert.deepEqual(b.inodes, a.inodes, 'no shim was written again');
    assert.deepEqual([...a.inodes.keys()].sort(), [...shimmedCommands].sort());
  });

  test('a hook that overwrites, removes, links or adds shims changes nothing for the next run', async () => {
    const vandal = box.hook('OnConnect_vandal.sh', [
      '#!/bin/sh',
      'd=$(dirname "$(command -v ip)")',
      'rm -f "$d/ip" && printf "#!/bin/sh\\nexit 0\\n" > "$d/ip" && chmod 755 "$d/ip"',
      'rm -f "$d/iptables"',
      'rm -f "$d/nft" && ln -s /bin/true "$d/nft"',
      'touch "$d/route2"',
      'chmod 777 "$d/logger"',
      'ip link set lo up', // the vandalised shim: nothing recorded, and that is this run's own doing
    ]);
    const vandalised = await runHook({ event: 'connect', script: vandal }, { onSpawn: box.track });
    assert.equal(vandalised.exitCode, 0, vandalised.stderr);
    const script = box.hook('OnConnect_after_vandal.sh', [
      '#!/bin/sh',
      'ip route add 10.7.0.0/16 dev tun0',
      'iptables -A INPUT -i tun0 -j ACCEPT',
      'nft list ruleset',
      'logger -t vpn up',
      'route2 2>/dev/null; echo "route2: $?"',
    ]);
    const next = await runHook({ event: 'connect', script }, { onSpawn: box.track });
    assert.equal(next.exitCode, 0, next.stderr);
    assert.deepEqual(
      next.commands.map((c) => c.argv.join(' ')),
      ['ip route add 10.7.0.0/16 dev tun0', 'iptables -A INPUT -i tun0 -j ACCEPT', 'nft list ruleset', 'logger -t vpn up'],
    );
    assert.match(next.stdout, /route2: 127/, 'the file the vandal added is gone');
  });
});

suite('record channels: one per simulation', () => {
  test("a hook cannot add calls to another run's record through that run's channel", async () => {
    const handoff = path.join(box.dir, 'victim-channel');
    const victim = box.hook('OnConnect_victim.sh', [
      '#!/bin/sh',
      `echo "$HOOKSMITH_SHIM_LOG" > ${handoff}.tmp && mv ${handoff}.tmp ${handoff}`,
      `while [ -e ${handoff} ]; do sleep 0.05; done`, // until the forger has written
      'ip link set lo up',
    ]);
    const forger = box.hook('OnConnect_forger.sh', [
      '#!/bin/sh',
      `while [ ! -e ${handoff} ]; do sleep 0.05; done`,
      `theirs=$(cat ${handoff})`,
      '[ "$theirs" != "$HOOKSMITH_SHIM_LOG" ] || exit 3',
      'HOOKSMITH_SHIM_LOG=$theirs ip route add 10.66.0.0/16 dev forged',
      `echo "$$ {\\"argv\\":[\\"ip\\",\\"forged\\",\\"line\\"]}" > "$theirs"`,
      `rm -f ${handoff}`,
    ]);
    const [v, f] = await Promise.all([
      runHook({ event: 'connect', script: victim }, { onSpawn: box.track, shims: createShims() }),
      runHook({ event: 'connect', script: forger }, { onSpawn: box.track, timeoutMs: 20_000 }),
    ]);
    assert.equal(f.exitCode, 0, f.stderr);
    assert.equal(v.exitCode, 0, v.stderr);
    assert.deepEqual(
      v.commands.map((c) => c.argv.join(' ')),
      ['ip link set lo up'],
    );
    assert.deepEqual(
      f.commands.map((c) => c.argv.join(' ')),
      ['ip route add 10.66.0.0/16 dev forged'],
      "the forger's real shim call is its own run's",
    );
  });
});
