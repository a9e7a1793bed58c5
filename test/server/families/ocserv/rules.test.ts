import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe as suite, test } from 'node:test';
import { wiring } from '../../../../server/src/config/wiring';
import { Finding } from '../../../../server/src/diagnostics';
import { ocserv } from '../../../../server/src/families/ocserv';
import { ocservHooks } from '../../../../server/src/families/ocserv/hooks';
import { recognizeHook } from '../../../../server/src/families/registry';
import { WiredHook } from '../../../../server/src/families/family';
import { lintHook } from '../../../../server/src/hooks/lintHook';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { hookFile, InMemoryHook, needsShellParser } from '../../../helpers/hooks';

needsShellParser();
afterEach(() => wiring.clear());

const dir = '/srv/vpn';
const config = `${dir}/ocserv.conf`;

/** Wires `path` as these keys of an ocserv.conf, as linting the config would. */
function wire(path: string, keys: string[], facts: Record<string, unknown> = { restricted: false, scripts: {} }): void {
  const wired: WiredHook[] = keys.map((key) => ({
    family: ocserv,
    hook: ocservHooks.find((h) => h.name === key)!,
    config,
    key,
    serverPath: `/etc/ocserv/${key}.sh`,
    file: path,
    facts,
  }));
  wiring.set(config, [...wiring.of(config), ...wired]);
}

/** Lints a script wired as `keys` (or, with none, mapped by hooks.families). */
function lint(keys: string[], hook: Omit<InMemoryHook, 'path'> & { path?: string }, facts?: Record<string, unknown>): Finding[] {
  const path = hook.path ?? `${dir}/script.sh`;
  if (keys.length) wire(path, keys, facts);
  const result = lintHook(hookFile({ ...hook, path }), keys.length ? {} : { [dir]: 'ocserv' });
  if (!result) throw new Error('not recognised');
  return result.findings;
}

suite('ocserv script recognition', () => {
  test('a script any config key names is an ocserv hook whatever its name; one file wired twice runs for both events', () => {
    assert.equal(recognizeHook(`${dir}/anything`, ['anything']), undefined, 'not wired, not mapped');
    wire(`${dir}/anything`, ['connect-script', 'disconnect-script']);
    const r = recognizeHook(`${dir}/anything`, ['anything']);
    assert.equal(r?.family.id, 'ocserv');
    assert.deepEqual(r?.hook.runBy, ['connect', 'disconnect']);
    assert.deepEqual(
      r?.wiredBy?.map((w) => w.key),
      ['connect-script', 'disconnect-script'],
    );
  });

  test('mapped by hooksmith.hooks.families: the name says which event, else connect and disconnect', () => {
    const m = { [dir]: 'ocserv' };
    assert.deepEqual(recognizeHook(`${dir}/user-disconnect.sh`, [], m)?.hook.runBy, ['disconnect']);
    assert.deepEqual(recognizeHook(`${dir}/connect.sh`, [], m)?.hook.runBy, ['connect']);
    assert.deepEqual(recognizeHook(`${dir}/host-update.sh`, [], m)?.hook.runBy, ['host-update']);
    assert.deepEqual(recognizeHook(`${dir}/vpn-hook`, [], m)?.hook.runBy, ['connect', 'disconnect']);
  });
});

suite('ocserv script rules', () => {
  test('a correct connect/disconnect script raises nothing', () => {
    const source = [
      '#!/bin/sh',
      'case "$REASON" in',
      '  connect)',
      '    iptables -A FORWARD -i "$DEVICE" -s "$IP_REMOTE" -j ACCEPT',
      '    logger "in: $USERNAME"',
      '    exit 0 ;;',
      '  disconnect)',
      '    iptables -D FORWARD -i "$DEVICE" -s "$IP_REMOTE" -j ACCEPT',
      '    logger "out: $USERNAME $STATS_BYTES_IN" ;;',
      'esac',
      '',
    ].join('\n');
    const found = lint(['connect-script', 'disconnect-script', 'host-update-script'], { source });
    assert.deepEqual(codes(found), [], describe(found));
  });

  test('HS520: wired as host-update-script, an if on connect whose else tears down', () => {
    const source = '#!/bin/sh\nif [ "$REASON" = connect ]; then\n  ipset add vpn "$IP_REMOTE"\n«else»\n  ipset del vpn "$IP_REMOTE"\nfi\n';
    assertOneAt(lint(['connect-script', 'disconnect-script', 'host-update-script'], { source }), 'HS520', source);
    assert.deepEqual(
      codes(lint(['connect-script', 'disconnect-script'], { source, path: `${dir}/b.sh` })).filter((c) => c === 'HS520'),
      [],
      'not wired as host-update-script',
    );
  });

  test('HS520: connect exits early (an if, or && { ...; exit; }) and the teardown after it runs for host-update too', () => {
    const all = ['connect-script', 'disconnect-script', 'host-update-script'];
    const ifForm =
      '#!/bin/sh\nif [ "$REASON" = connect ]; then\n  ipset add vpn "$IP_REMOTE"\n  exit 0\nfi\nlogger bye\n«ipset del vpn "$IP_REMOTE"»\n';
    assertOneAt(lint(all, { source: ifForm, path: `${dir}/if.sh` }), 'HS520', ifForm);
    const listForm = '#!/bin/sh\n[ "$REASON" = connect ] && { ipset add vpn "$IP_REMOTE"; exit 0; }\n«ipset del vpn "$IP_REMOTE"»\n';
    assertOneAt(lint(all, { source: listForm, path: `${dir}/list.sh` }), 'HS520', listForm);
    const guarded =
      '#!/bin/sh\nif [ "$REASON" = connect ]; then\n  ipset add vpn "$IP_REMOTE"\n  exit 0\nfi\n' +
      'if [ "$REASON" = disconnect ]; then\n  ipset del vpn "$IP_REMOTE"\nfi\n';
    assert.deepEqual(codes(lint(all, { source: guarded, path: `${dir}/guarded.sh` })), [], 'disconnect tested explicitly');
  });

  test('HS520: a case whose *) tears down, with no disconnect branch', () => {
    const source =
      '#!/bin/sh\ncase "$REASON" in\n  connect) ip route add 10.1.0.0/16 dev "$DEVICE" ;;\n  «*») ip route del 10.1.0.0/16 ;;\nesac\n';
    assertOneAt(lint(['connect-script', 'host-update-script'], { source }), 'HS520', source);
  });

  test('HS521: a log write ends the connect path and decides the login', () => {
    const source = '#!/bin/sh\n/usr/local/bin/check-quota "$USERNAME"\n«echo "$USERNAME in" >> /var/log/vpn.log»\n';
    const f = assertOneAt(lint(['connect-script'], { source }), 'HS521', source);
    assert.match(f.message, /if writing to >> \/var\/log\/vpn\.log fails \(a full disk, a read-only file system\)/);
  });

  test('HS521: in the connect branch of the dispatch; an explicit exit 0 ends it cleanly', () => {
    const source =
      '#!/bin/sh\nif [ "$REASON" = connect ]; then\n  check-user "$USERNAME"\n  «systemctl reload dnsmasq»\nelif [ ' +
      '"$REASON" = disconnect ]; then\n  logger bye\nfi\n';
    const f = assertOneAt(lint(['connect-script', 'disconnect-script'], { source }), 'HS521', source);
    assert.match(f.message, /if systemctl fails \(the service stopped or not installed\)/);
    const fine = '#!/bin/sh\ncheck-user "$USERNAME"\nlogger in\nexit 0\n';
    assert.deepEqual(codes(lint(['connect-script'], { source: fine, path: `${dir}/ok.sh` })), []);
  });

  test('HS522: [ $? -eq 1 ] && exit 1 admits the user when the check crashed', () => {
    const source = '#!/bin/sh\nnode /opt/policy/check.js "$USERNAME"\n[ «$? -eq 1» ] && exit 1\nexit 0\n';
    assertOneAt(lint(['connect-script'], { source }), 'HS522', source);
    const fine = '#!/bin/sh\nnode /opt/policy/check.js "$USERNAME" || exit 1\nexit 0\n';
    assert.deepEqual(codes(lint(['connect-script'], { source: fine, path: `${dir}/ok.sh` })), []);
  });

  test('HS522: the status saved in a variable (rc=$?), test $? -eq 1, 1 -eq $?, and a case on the saved status', () => {
    const source =
      '#!/bin/sh\nnode /opt/policy/check.js "$USERNAME"\nrc=$?\n[ «"$rc" = 1» ] && exit 1\nif [ «$rc -eq 2» ]; then exit 1; fi\n' +
      '«test $? -eq 3» && exit 1\n[ «4 -eq $?» ] && exit 1\ncase «"$rc"» in 5) exit 1 ;; esac\nexit 0\n';
    const found = lint(['connect-script'], { source });
    assert.deepEqual(codes(found), ['HS522', 'HS522', 'HS522', 'HS522', 'HS522'], describe(found));
    for (let i = 0; i < 5; i++) assertOneAt([found[i]], 'HS522', source, i);
    const fine = '#!/bin/sh\nnode /opt/policy/check.js\nrc=$?\n[ "$rc" -ne 0 ] && exit 1\nn=1\n[ "$n" -eq 1 ] && logger one\nexit 0\n';
    assert.deepEqual(codes(lint(['connect-script'], { source: fine, path: `${dir}/ok.sh` })), []);
  });

  test('HS523: a near miss of an ocserv variable, with a replace fix', () => {
    for (const [wrong, right] of [
      ['USER_NAME', 'USERNAME'],
      ['IP_REMOTE_', 'IP_REMOTE'],
      ['OCSERV_ROUTE', 'OCSERV_ROUTES'],
    ]) {
      const source = `#!/bin/sh\nlogger "\${«${wrong}»}"\nexit 0\n`;
      const f = assertOneAt(lint(['connect-script'], { source, path: `${dir}/${wrong}.sh` }), 'HS523', source);
      assert.deepEqual(f.fix, { kind: 'replace', with: right });
    }
    const own = '#!/bin/sh\nUSER_NAME=$USERNAME\nlogger "$USER_NAME $HOSTTYPE"\nexit 0\n';
    assert.deepEqual(
      codes(lint(['connect-script'], { source: own, path: `${dir}/own.sh` })),
      [],
      "assigned by the script, or the shell's own",
    );
  });

  test('HS524: $1 read at the top level, not in a function', () => {
    const source = '#!/bin/sh\nlog() { logger "$1"; }\nlog «$1»\nexit 0\n';
    assertOneAt(lint(['connect-script'], { source }), 'HS524', source);
  });

  test('HS525: STATS_ read on connect (a connect-only script, or the connect branch)', () => {
    const source = '#!/bin/sh\nlogger "$«STATS_BYTES_IN»"\nexit 0\n';
    assertOneAt(lint(['connect-script'], { source }), 'HS525', source);
    const shared =
      '#!/bin/sh\ncase "$REASON" in\n  connect) logger "$«STATS_DURATION»" ;;\n  disconnect) logger "$STATS_DURATION" ;;\nesac\nexit 0\n';
    assertOneAt(lint(['connect-script', 'disconnect-script'], { source: shared, path: `${dir}/shared.sh` }), 'HS525', shared);
  });

  test('HS526: an iptables rule and an ipset entry added on connect, removed only partly on disconnect', () => {
    const source =
      '#!/bin/sh\ncase "$REASON" in\nconnect)\n  «iptables -I FORWARD 1 -s "$IP_REMOTE" -j ACCEPT»\n  ipset add ' +
      'vpn-users $IP_REMOTE\n  exit 0 ;;\ndisconnect)\n  ipset del vpn-users "$IP_REMOTE" ;;\nesac\n';
    const f = assertOneAt(lint(['connect-script', 'disconnect-script'], { source }), 'HS526', source);
    assert.match(f.message, /iptables -D FORWARD -s \$IP_REMOTE -j ACCEPT/);
    assert.match(f.message, /a user who logs in again gets a second one/);
  });

  test('HS526: a route or an ipset entry left behind makes the next add of the same address fail (no second one)', () => {
    const source = '#!/bin/sh\n«ipset add vpn-users "$IP_REMOTE"»\n«ip route add 10.9.0.0/16 via 192.168.1.1»\nexit 0\n';
    const found = lint(['connect-script'], { source, path: `${dir}/leftovers.sh` }).filter((f) => f.code === 'HS526');
    assert.equal(found.length, 2);
    for (const f of found) {
      assert.match(f.message, /adding it again fails: it is still there/);
      assert.doesNotMatch(f.message, /second one/);
    }
  });

  test('HS526: a route through the session device ($DEVICE) needs no undo: ocserv removes the device when the session ends', () => {
    const source = '#!/bin/sh\nip route add 10.9.0.0/16 dev "$DEVICE"\nip route add 10.8.0.0/16 dev vpns0\nexit 0\n';
    assert.deepEqual(codes(lint(['connect-script'], { source, path: `${dir}/via-device.sh` })), []);
  });

  test('HS526: the disconnect script of the same ocserv.conf is read; nothing when it removes the rule', () => {
    const connect = '#!/bin/sh\niptables -A FORWARD -s "$IP_REMOTE" -j ACCEPT\nexit 0\n';
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocserv-rules-'));
    try {
      const down = `${tmp}/down.sh`;
      fs.writeFileSync(down, '#!/bin/sh\niptables -D FORWARD -s "$IP_REMOTE" -j ACCEPT\n');
      assert.deepEqual(
        codes(
          lint(
            ['connect-script'],
            { source: connect, path: `${tmp}/up.sh` },
            { restricted: false, scripts: { 'disconnect-script': down } },
          ),
        ),
        [],
      );
      fs.writeFileSync(down, '#!/bin/sh\nlogger bye\n');
      const source = '#!/bin/sh\n«iptables -A FORWARD -s "$IP_REMOTE" -j ACCEPT»\nexit 0\n';
      wiring.clear();
      assertOneAt(
        lint(['connect-script'], { source, path: `${tmp}/up.sh` }, { restricted: false, scripts: { 'disconnect-script': down } }),
        'HS526',
        source,
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('HS527: restrictions run a bash script as /bin/sh', () => {
    const source = '«#!/bin/bash»\n[[ -n $IP_REMOTE ]] && logger ok\nexit 0\n';
    const found = lint(['connect-script'], { source, mode: 0o644 }, { restricted: true, scripts: {} });
    assertOneAt(found, 'HS527', source);
    assert.ok(!codes(found).includes('HS528'), 'ocserv-fw needs no execute bit');
  });

  test('ShellCheck reads a script as its #! line says, and as sh under ocserv-fw whatever the #! line says', () => {
    const bash = '#!/bin/bash\n[[ -n $IP_REMOTE ]] && logger ok\n';
    wire(`${dir}/free.sh`, ['connect-script']);
    const free = recognizeHook(`${dir}/free.sh`, [])!;
    assert.equal(free.family.shellcheckPlan?.(free, `${dir}/free.sh`, bash)?.shell, 'bash');
    wire(`${dir}/fw.sh`, ['connect-script'], { restricted: true, scripts: {} });
    const fw = recognizeHook(`${dir}/fw.sh`, [])!;
    assert.equal(fw.family.shellcheckPlan?.(fw, `${dir}/fw.sh`, bash)?.shell, 'sh');
  });

  test("restrictions put ocserv-fw in front of connect and disconnect only: a host-update script is exec'd as its #! line says", () => {
    // ocserv's main-user.c swaps in ocserv-fw only `if (type != SCRIPT_HOST_UPDATE)`.
    const restricted = { restricted: true, scripts: {} };
    const source = '«[[ -n $HOSTNAME ]] && logger -t ocserv "$HOSTNAME"»\n';
    const update = lint(['host-update-script'], { source, mode: 0o644, path: `${dir}/update.sh` }, restricted);
    assert.deepEqual(codes(update).sort(), ['HS528', 'HS529']);
    assert.match(assertOneAt(update, 'HS528', source).message, /directly for host-update \(ocserv-fw.*never runs it\)/);
    const bash = '#!/bin/bash\n[[ -n $HOSTNAME ]] && logger ok\n';
    const plan = (file: string) => recognizeHook(file, [])!.family.shellcheckPlan?.(recognizeHook(file, [])!, file, bash)?.shell;
    assert.equal(plan(`${dir}/update.sh`), 'bash', 'ShellCheck reads it as bash, as it runs');
    assert.ok(!codes(lint(['host-update-script'], { source: bash, path: `${dir}/update2.sh` }, restricted)).includes('HS527'));
    wiring.clear();
    const both = lint(['connect-script', 'host-update-script'], { source: bash, mode: 0o644, path: `${dir}/both.sh` }, restricted);
    assert.deepEqual(codes(both).sort(), ['HS527', 'HS528'], "sh for connect, but exec'd for host-update");
  });

  test('HS528 and HS529: ocserv execs the script itself', () => {
    const source = '«iptables -A FORWARD -j ACCEPT»\n';
    const found = lint(['disconnect-script'], { source, mode: 0o644 });
    assertOneAt(found, 'HS528', source);
    assertOneAt(found, 'HS529', source);
  });
});
