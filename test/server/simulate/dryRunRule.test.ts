// HS470, "this call would bypass a dry run": the shims-only analysis's own calls, marked where they
// are, and never on a correct hook (ping in isusable, modprobe in start, anything a shim stands in for).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../helpers/hooks';

needsShellParser();

const onConnect = (source: string) => lintInMemory({ path: '/opt/cisco/secureclient/vpn/script/OnConnect_routes.sh', source });
const shorewall = (name: string, source: string) =>
  lintInMemory({ path: `/etc/shorewall/${name}`, source, mode: 0o644, folder: { 'shorewall.conf': 'STARTUP_ENABLED=Yes\n' } });
const hs470 = (findings: ReturnType<typeof onConnect>) => findings.filter((f) => f.code === 'HS470');

suite('HS470: a call that would bypass a dry run', () => {
  test('a tool by its absolute path: the message says what shims mode and the sandbox would do', () => {
    const source = '#!/bin/sh\n«/usr/sbin/ip route add 192.168.100.0/24 dev tun0»\n';
    const f = assertOneAt(onConnect(source), 'HS470', source);
    assert.match(f.message, /\/usr\/sbin\/ip is called by its path/);
    assert.match(f.message, /shims alone \(no sandbox\) this hook is refused, or, if allowed, this call runs for real/);
    assert.match(f.message, /in the sandbox it runs inside throwaway namespaces/);
  });

  test('busybox, an interpreter, eval, sh -c, command -p, env -i, a computed name, find -exec', () => {
    const lines = [
      'busybox ip route add 10.1.0.0/16 dev tun0',
      'python3 -c "import os; os.system(\'ip link\')"',
      'eval "$CMD"',
      "sh -c 'ip link'",
      'command -p ip link',
      'env -i ip link',
      '$IP addr add 10.0.0.9/32 dev lo',
      'find /sbin -name ip -exec {} link \\;',
    ];
    for (const line of lines) {
      const source = `#!/bin/sh\n«${line}»\n`;
      assertOneAt(onConnect(source), 'HS470', source);
    }
  });

  test('a PATH that may no longer put the shims first; PATH=$PATH:... keeps them and is clean', () => {
    const source = '#!/bin/sh\n«PATH=/usr/sbin:/usr/bin:/sbin:/bin»\nip link\n';
    assertOneAt(onConnect(source), 'HS470', source);
    for (const keeps of ['PATH=$PATH:/usr/local/sbin', 'export PATH="${PATH}:/opt/vpn/bin"']) {
      assert.deepEqual(hs470(onConnect(`#!/bin/sh\n${keeps}\nip link\n`)), [], keeps);
    }
  });

  test('correct hooks are clean: shimmed calls (sudo, ip, iptables, mount) and commands that merely have no shim', () => {
    const connect =
      '#!/bin/sh\nsudo ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0\niptables -A INPUT -i tun0 -j ACCEPT\n' +
      'mount -t cifs //srv/share /mnt/share\nresolvconf -u\nlogger up\n';
    assert.deepEqual(hs470(onConnect(connect)), [], describe(onConnect(connect)));
    const isusable = '# 0 = usable\nping -c 1 -W 1 -I "$1" 192.0.2.1 >/dev/null 2>&1\n';
    assert.deepEqual(codes(shorewall('isusable', isusable)), [], describe(shorewall('isusable', isusable)));
    const start = 'modprobe nf_conntrack_ftp || return 1\nrun_iptables -A INPUT -p tcp --dport 21 -j ACCEPT\n';
    assert.deepEqual(codes(shorewall('start', start)), [], describe(shorewall('start', start)));
  });

  test("Shorewall: run-time hooks and lib.private are checked; a command-line tool's hook is not (no dry run runs it)", () => {
    const source = '«/sbin/iptables -A INPUT -j ACCEPT»\n';
    assertOneAt(shorewall('started', source), 'HS470', source);
    assertOneAt(shorewall('lib.private', source), 'HS470', source);
    assert.deepEqual(hs470(shorewall('save', source)), []);
  });

  test('the fixture and example hooks stay clean', () => {
    const root = path.resolve(__dirname, '../../../..');
    const folders = ['test/fixtures/hooks/anyconnect', 'test/fixtures/hooks/shorewall', 'examples/anyconnect/script', 'examples/shorewall'];
    let checked = 0;
    for (const folder of folders) {
      const dir = path.join(root, folder);
      const names = fs.readdirSync(dir);
      const sibling = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));
      for (const name of names) {
        const hookPath = folder.includes('shorewall') ? `/etc/shorewall/${name}` : `/opt/cisco/secureclient/vpn/script/${name}`;
        let findings;
        try {
          findings = lintInMemory({ path: hookPath, source: sibling[name], mode: 0o755, folder: sibling });
        } catch {
          continue; // not a hook (shorewall.conf, a README)
        }
        checked++;
        assert.deepEqual(hs470(findings), [], `${folder}/${name}: ${describe(findings)}`);
      }
    }
    assert.ok(checked >= 10, `${checked} hooks checked`);
  });
});
