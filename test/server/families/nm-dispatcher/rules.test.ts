// NetworkManager dispatcher rules on real files in a real NetworkManager/dispatcher.d layout: names
// NetworkManager skips, the ownership and modes it refuses (chown / chmod on the files, as root),
// the #! line, actions in the wrong folder, no action test, up without down, and what blocks the queue.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { Finding } from '../../../../server/src/diagnostics';
import { recognizeHook } from '../../../../server/src/families/registry';
import { hookFileOnDisk, lintHook } from '../../../../server/src/hooks/lintHook';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { needsShellParser } from '../../../helpers/hooks';
import { marked } from '../../../helpers/marked';

needsShellParser();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-nm-rules-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
let layouts = 0;

/** A fresh NetworkManager/dispatcher.d with its three subfolders. */
function layout(): string {
  const dir = path.join(work, String(layouts++), 'NetworkManager', 'dispatcher.d');
  for (const sub of ['pre-up.d', 'pre-down.d', 'no-wait.d']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  return dir;
}

/** Writes `source` (with «» marks stripped) at dir/rel with exactly `mode` (chmod: the umask does not apply). */
function put(dir: string, rel: string, source: string, mode = 0o755): string {
  const file = path.join(dir, rel);
  fs.writeFileSync(file, marked(source).text);
  fs.chmodSync(file, mode);
  return file;
}

function lint(file: string): Finding[] {
  const result = lintHook(hookFileOnDisk(file));
  assert.ok(result, `${file} was not recognised`);
  assert.equal(result.recognized.family.id, 'nm-dispatcher');
  return result.findings;
}

const only = (code: string) => (f: Finding) => f.code === code;

suite('nm-dispatcher recognition', () => {
  test('dispatcher.d and its pre-up.d, pre-down.d, no-wait.d under NetworkManager; elsewhere only through the setting', () => {
    const hook = (p: string, mappings?: Record<string, string>) => recognizeHook(p, [path.basename(p)], mappings)?.hook.name;
    assert.equal(hook('/etc/NetworkManager/dispatcher.d/90-vpn'), 'dispatcher.d');
    assert.equal(hook('/repo/etc/NetworkManager/dispatcher.d/pre-up.d/10-fw'), 'pre-up.d');
    assert.equal(hook('/etc/NetworkManager/dispatcher.d/pre-down.d/10-fw'), 'pre-down.d');
    assert.equal(hook('/etc/NetworkManager/dispatcher.d/no-wait.d/50-slow'), 'no-wait.d');
    assert.equal(hook('/etc/NetworkManager/dispatcher.d/.90-vpn.swp'), 'dispatcher.d', 'skipped names are recognised, to warn');
    assert.equal(hook('/etc/NetworkManager/dispatcher.d/README.md'), undefined, 'notes are not scripts');
    assert.equal(hook('/srv/dispatcher.d/90-vpn'), undefined, 'a dispatcher.d not under NetworkManager');
    assert.equal(hook('/srv/nm/hooks/90-vpn', { '/srv/nm/hooks': 'nm-dispatcher' }), 'dispatcher.d', 'mapped by setting');
  });
});

suite('nm-dispatcher file rules (real files, real modes)', () => {
  const ok = '#!/bin/sh\ncase "$2" in vpn-up) logger up ;; esac\n';

  test('HS700: each name NetworkManager skips, with the rename to the name it would run', () => {
    const dir = layout();
    const cases: [string, string][] = [
      ['.90-vpn', '90-vpn'],
      ['90-vpn~', '90-vpn'],
      ['90-vpn.rpmnew', '90-vpn'],
      ['90-vpn.rpmsave', '90-vpn'],
      ['90-vpn.rpmorig', '90-vpn'],
      ['90-vpn.swp', '90-vpn'],
      ['90-vpn.dpkg-dist', '90-vpn'],
    ];
    for (const [name, to] of cases) {
      const f = assertOneAt(lint(put(dir, name, `«#!/bin/sh»\ncase "$2" in vpn-up) logger up ;; esac\n`)), 'HS700', '«#!/bin/sh»');
      assert.deepEqual(f.fix, { kind: 'rename', to }, name);
    }
    assert.deepEqual(lint(put(dir, '90-vpn.dpkg-x.sh', ok)).filter(only('HS700')), [], 'a .dpkg- with a dot after it runs');
    assert.deepEqual(lint(put(dir, '90-vpn', ok)), [], 'a name it runs, root-owned 0755: nothing');
  });

  test('a name NetworkManager skips gets HS700 alone: it skips the file before its permission check, so no refusal is logged', () => {
    const dir = layout();
    const file = put(dir, '30-ntp.dpkg-old', ok, 0o4666);
    fs.chownSync(file, 1000, 1000);
    assert.deepEqual(codes(lint(file)), ['HS700']);
  });

  test('HS701: owned by another uid, with the log line NetworkManager writes', () => {
    const dir = layout();
    const file = put(dir, '90-vpn', `«#!/bin/sh»\ncase "$2" in vpn-up) logger up ;; esac\n`);
    fs.chownSync(file, 1000, 1000);
    const f = assertOneAt(lint(file), 'HS701', '«#!/bin/sh»');
    assert.match(f.message, /owned by uid 1000, not root/);
    assert.match(f.message, /"find-scripts: Cannot execute '\/etc\/NetworkManager\/dispatcher\.d\/90-vpn': not owned by root\."/);
    fs.chownSync(file, 0, 0);
    assert.deepEqual(lint(file).filter(only('HS701')), []);
  });

  test('HS702: group- or world-writable (0775, 0757), with the chmod go-w fix; HS703: set-UID; HS704: no owner execute bit', () => {
    const dir = layout();
    for (const mode of [0o775, 0o757]) {
      const f = assertOneAt(lint(put(dir, `90-w${mode.toString(8)}`, `«#!/bin/sh»\n`, mode)), 'HS702', '«#!/bin/sh»');
      assert.deepEqual(f.fix, { kind: 'chmod-go-w' });
      assert.match(f.message, /writable by group or other, or set-UID\./);
    }
    const suid = assertOneAt(lint(put(dir, '91-suid', `«#!/bin/sh»\n`, 0o4755)), 'HS703', '«#!/bin/sh»');
    assert.match(suid.message, /set-UID \(mode 4755\)/);
    const noexec = assertOneAt(lint(put(dir, '92-noexec', `«#!/bin/sh»\n`, 0o644)), 'HS704', '«#!/bin/sh»');
    assert.match(noexec.message, /not executable by owner\./);
    assert.deepEqual(lint(put(dir, '93-group-exec-only', '#!/bin/sh\n', 0o655)).filter(only('HS704')).length, 1, 'g+x is not enough');
    assert.deepEqual(codes(lint(put(dir, '94-fine', '#!/bin/sh\n', 0o700))), [], '0700 is accepted');
  });

  test('HS710: a no-wait.d script nothing links to never runs; a link from dispatcher.d makes it run', () => {
    const dir = layout();
    const file = put(dir, 'no-wait.d/50-slow', `«#!/bin/sh»\nsleep 5\n`);
    assertOneAt(lint(file), 'HS710', '«#!/bin/sh»');
    fs.symlinkSync('no-wait.d/50-slow', path.join(dir, '50-slow'));
    assert.deepEqual(lint(file).filter(only('HS710')), []);
  });
});

suite('nm-dispatcher content rules', () => {
  test('HS705: a #! line after a blank line or a comment, at that line', () => {
    const dir = layout();
    assertOneAt(
      lint(put(dir, '90-vpn', '\n# routes for the VPN\n«#!/bin/bash»\n[[ $2 == vpn-up ]] && logger up\n')),
      'HS705',
      '\n# routes for the VPN\n«#!/bin/bash»\n[[ $2 == vpn-up ]] && logger up\n',
    );
    assert.deepEqual(lint(put(dir, '91-vpn', '#!/bin/bash\n[[ $2 == vpn-up ]] && logger up\n')).filter(only('HS705')), []);
  });

  test('HS706: pre-down handled by a script only in dispatcher.d, at the pattern; not when the same script is also in pre-down.d', () => {
    const dir = layout();
    const src = '#!/bin/sh\ncase "$2" in\n  vpn-up) logger up ;;\n  «pre-down») logger bye ;;\nesac\n';
    const f = assertOneAt(lint(put(dir, '90-vpn', src)), 'HS706', src);
    assert.match(
      f.message,
      /never sends pre-down to a script in dispatcher\.d: it runs scripts for pre-down only from dispatcher\.d\/pre-down\.d/,
    );
    fs.symlinkSync('../90-vpn', path.join(dir, 'pre-down.d', '90-vpn'));
    assert.deepEqual(lint(path.join(dir, '90-vpn')).filter(only('HS706')), [], 'linked into pre-down.d: it does arrive');
  });

  test("HS706 reads the receiving folder as NetworkManager merges it: /etc's and the mirrored /usr/lib's, a /etc mask included", () => {
    const root = path.join(work, `mirror${layouts++}`);
    const etc = path.join(root, 'etc/NetworkManager/dispatcher.d');
    const lib = path.join(root, 'usr/lib/NetworkManager/dispatcher.d');
    for (const d of [etc, path.join(etc, 'pre-down.d'), path.join(lib, 'pre-down.d')]) fs.mkdirSync(d, { recursive: true });
    const src = '#!/bin/sh\ncase "$2" in\n  vpn-up) logger up ;;\n  «vpn-pre-down») logger bye ;;\nesac\n';
    const hs706 = (file: string): Finding[] => lint(file).filter(only('HS706'));
    // Only /usr/lib's pre-down.d has it (a packaged link of the same name): the merged pre-down.d does, so it arrives.
    const script = put(etc, '90-vpn', src);
    fs.symlinkSync('../../../../../etc/NetworkManager/dispatcher.d/90-vpn', path.join(lib, 'pre-down.d', '90-vpn'));
    assert.deepEqual(hs706(script), [], "usr/lib's pre-down.d/90-vpn");
    // A /etc link to /dev/null of that name masks it: vpn-pre-down never comes, and the message says why.
    fs.symlinkSync('/dev/null', path.join(etc, 'pre-down.d', '90-vpn'));
    const [masked] = hs706(script);
    assert.ok(masked, 'masked in /etc');
    assert.match(masked.message, /only from dispatcher\.d\/pre-down\.d \(its 90-vpn there is a link to \/dev\/null in \/etc: masked/);
    assertOneAt(lint(script), 'HS706', src);
    // A link under another name, written as the server path (ln -s /etc/NetworkManager/dispatcher.d/90-vpn ...): read in the mirror.
    fs.symlinkSync('/etc/NetworkManager/dispatcher.d/90-vpn', path.join(etc, 'pre-down.d', '05-vpn-down'));
    assert.deepEqual(hs706(script), [], 'a link to it by its server path');
  });

  test('HS706: up in a script only in pre-up.d, through a test of $NM_DISPATCHER_ACTION too', () => {
    const dir = layout();
    const src = '#!/bin/sh\nif [ "$NM_DISPATCHER_ACTION" = «up» ]; then logger up; fi\n[ "$2" = vpn-pre-up ] && logger pre\n';
    assertOneAt(lint(put(dir, 'pre-up.d/10-fw', src)), 'HS706', src);
    const glob = '#!/bin/bash\n[[ $2 == *up ]] && logger "up or pre-up"\n';
    assert.deepEqual(lint(put(dir, 'pre-up.d/20-glob', glob)).filter(only('HS706')), [], 'a pattern ending in up is not the action up');
  });

  test('HS707: routes, rules and iptables added with no look at $2, at the first change; none once the action is read', () => {
    const dir = layout();
    const src =
      '#!/bin/sh\nlogger "vpn $1"\n«ip route add 10.20.0.0/16 dev "$1"»\n' +
      'ip rule add from 10.8.0.0/24 table 100\niptables -A FORWARD -i "$1" -j ACCEPT\n';
    const f = assertOneAt(lint(put(dir, '90-vpn', src)), 'HS707', src);
    assert.match(f.message, /its 3 changes run for every action/);
    assert.match(f.message, /dhcp4-change, hostname and connectivity-change/);
    const aliased = '#!/bin/sh\naction=$2\n[ "$action" = vpn-up ] || exit 0\nip rule add from 10.8.0.0/24 table 100\n';
    assert.deepEqual(lint(put(dir, '91-vpn', aliased)).filter(only('HS707')), []);
  });

  test('HS708: vpn-up adds a route and an ip rule, vpn-down removes only the route: the rule, at its command', () => {
    const dir = layout();
    const src = [
      '#!/bin/sh',
      'case "$2" in',
      '  vpn-up)',
      '    ip route add 10.20.0.0/16 dev "$1"',
      '    «ip rule add from 10.8.0.0/24 table 100»',
      '    ;;',
      '  vpn-down)',
      '    ip route del 10.20.0.0/16',
      '    ;;',
      'esac',
      '',
    ].join('\n');
    const f = assertOneAt(lint(put(dir, '90-vpn', src)), 'HS708', src);
    assert.match(f.message, /on vpn-up, but nothing removes it on vpn-down.*Add "ip rule del from 10\.8\.0\.0\/24 table 100" for vpn-down/);
  });

  test('HS708: an if / elif chain is read branch by branch, as a case is: what the up branch adds and no down branch removes', () => {
    const dir = layout();
    const src = [
      '#!/bin/sh',
      'if [ "$2" = vpn-up ]; then',
      '  ip route add 10.20.0.0/16 dev "$1"',
      '  «iptables -I FORWARD -i "$1" -j ACCEPT»',
      'elif [ "$2" = vpn-down ] || [ "$2" = down ]; then',
      '  ip route del 10.20.0.0/16',
      'else',
      '  iptables -D FORWARD -i "$1" -j ACCEPT # any other action: not vpn-down',
      'fi',
      '',
    ].join('\n');
    const f = assertOneAt(lint(put(dir, '90-vpn', src)), 'HS708', src);
    assert.match(f.message, /on vpn-up, but nothing removes it on vpn-down/);
    const symmetric = src.replace('ip route del 10.20.0.0/16', 'ip route del 10.20.0.0/16; iptables -D FORWARD -i "$1" -j ACCEPT');
    assert.deepEqual(lint(put(dir, '90-vpn', symmetric)).filter(only('HS708')), []);
  });

  test('HS708: a guarded up-only script is fine when another script of dispatcher.d removes it, not otherwise', () => {
    const dir = layout();
    const src = '#!/bin/sh\n[ "$2" = vpn-up ] || exit 0\n«iptables -I OUTPUT -o "$1" -j ACCEPT»\n';
    const file = put(dir, '90-up', src);
    assertOneAt(lint(file), 'HS708', src);
    put(dir, '91-down', '#!/bin/sh\n[ "$2" = vpn-down ] || exit 0\niptables -D OUTPUT -o "$1" -j ACCEPT\n');
    assert.deepEqual(lint(file).filter(only('HS708')), [], describe(lint(file)));
  });

  test('HS709: sleep and nmcli connection up outside no-wait.d, at the command; nothing through a link into no-wait.d', () => {
    const dir = layout();
    const src = '#!/bin/sh\ncase "$2" in\n  up) «sleep 10»; «nmcli con up "Corp VPN"» ;;\nesac\n';
    const found = lint(put(dir, '90-vpn', src)).filter(only('HS709'));
    const { spans } = marked(src);
    assert.deepEqual(
      found.map((f) => [f.start, f.end]),
      spans.map((s) => [s.start, s.end]),
    );
    assert.equal(found[0].severity, 'hint');
    put(dir, 'no-wait.d/60-slow', marked(src).text);
    fs.symlinkSync('no-wait.d/60-slow', path.join(dir, '60-slow'));
    assert.deepEqual(lint(path.join(dir, '60-slow')).filter(only('HS709')), []);
    assert.deepEqual(lint(path.join(dir, 'no-wait.d/60-slow')).filter(only('HS709')), []);
  });

  test('HS711: a /usr/lib script whose name the mirrored /etc tree has never runs; masked by a /etc link to /dev/null: information', () => {
    const root = path.join(work, `mirror${layouts++}`);
    const etc = path.join(root, 'etc/NetworkManager/dispatcher.d');
    const lib = path.join(root, 'usr/lib/NetworkManager/dispatcher.d');
    for (const d of [etc, lib, path.join(lib, 'pre-up.d'), path.join(etc, 'pre-up.d')]) fs.mkdirSync(d, { recursive: true });
    const script = '#!/bin/sh\ncase "$2" in up) logger up ;; esac\n';
    put(etc, '20-both', script);
    const hidden = put(lib, '20-both', script);
    const f = assertOneAt(lint(hidden), 'HS711', `«#!/bin/sh»\n${script.slice(10)}`);
    assert.equal(f.severity, 'warning');
    assert.match(
      f.message,
      /\/etc\/NetworkManager\/dispatcher\.d\/20-both \(etc\/NetworkManager\/dispatcher\.d\/20-both here\) has the same name/,
    );
    fs.symlinkSync('/dev/null', path.join(etc, 'pre-up.d/30-masked'));
    const masked = lint(put(lib, 'pre-up.d/30-masked', script)).filter(only('HS711'));
    assert.deepEqual(
      masked.map((x) => x.severity),
      ['information'],
    );
    assert.match(masked[0].message, /is a link to \/dev\/null: it masks this packaged script/);
    assert.deepEqual(lint(put(lib, '10-lib-only', script)).filter(only('HS711')), []);
    assert.deepEqual(lint(path.join(etc, '20-both')).filter(only('HS711')), [], 'the /etc one is the one that runs');
  });
});
