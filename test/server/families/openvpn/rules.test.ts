import * as assert from 'node:assert/strict';
import { afterEach, describe as suite, test } from 'node:test';
import { wiring } from '../../../../server/src/config/wiring';
import { Finding } from '../../../../server/src/diagnostics';
import { openvpn } from '../../../../server/src/families/openvpn';
import { hookOf, OpenvpnEvent } from '../../../../server/src/families/openvpn/hooks';
import { facts } from './facts';
import { WiredHook } from '../../../../server/src/families/family';
import { lintHook } from '../../../../server/src/hooks/lintHook';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { hookFile, needsShellParser } from '../../../helpers/hooks';
import { marked } from '../../../helpers/marked';

needsShellParser();
afterEach(() => wiring.clear());

const dir = '/srv/openvpn';
const config = `${dir}/server.conf`;

/** Lints `source` (marked) as a script wired to these directives of a config, with the config's facts. */
function lint(events: OpenvpnEvent[], source: string, f: Record<string, unknown> = facts(), mode = 0o755): Finding[] {
  const path = `${dir}/script.sh`;
  const wired: WiredHook[] = events.map((key) => ({
    family: openvpn,
    hook: hookOf(key),
    config,
    key,
    serverPath: 'script.sh',
    file: path,
    facts: f,
  }));
  wiring.set(config, wired);
  const result = lintHook(hookFile({ path, source, mode }), {});
  if (!result) throw new Error('not recognised');
  return result.findings;
}

suite('OpenVPN script rules', () => {
  test('a correct up/down script raises nothing', () => {
    const source =
      '#!/bin/sh\ncase "$script_type" in\nup) ip route add 10.20.0.0/16 dev "$1" ;;\ndown) ip route del 10.20.0.0/16 dev "$1" ;;\nesac\n' +
      'echo "$6 $ifconfig_local $route_network_1 $foreign_option_2" >&2\nexit 0\n';
    const findings = lint(['up', 'down'], source);
    assert.deepEqual(codes(findings), [], describe(findings));
  });

  test('HS620: script_type compared with auth-user-pass-verify only (case: with a fix; test: without)', () => {
    const source = '#!/bin/sh\ncase "$script_type" in\n«auth-user-pass-verify») exit 0 ;;\nesac\nexit 1\n';
    const f = assertOneAt(lint(['auth-user-pass-verify'], source), 'HS620', source);
    assert.deepEqual(f.fix, { kind: 'replace', with: 'user-pass-verify|auth-user-pass-verify' });
    const test2 = '#!/bin/sh\nif [ "$script_type" = «auth-user-pass-verify» ]; then exit 0; fi\nexit 1\n';
    assertOneAt(lint(['auth-user-pass-verify'], test2), 'HS620', test2);
    const both = '#!/bin/sh\ncase "$script_type" in\nuser-pass-verify|auth-user-pass-verify) exit 0 ;;\nesac\nexit 1\n';
    assert.deepEqual(codes(lint(['auth-user-pass-verify'], both)), []);
  });

  test("HS621: $7 in an up script (6 arguments), counting the directive's own words; $3 on learn-address delete", () => {
    const up = '#!/bin/sh\necho "$6" «$7»\n';
    const f = assertOneAt(lint(['up'], up), 'HS621', up);
    assert.match(f.message, /up: 6/);
    assert.deepEqual(codes(lint(['up'], marked(up).text, facts({ up: 1 }))), [], 'with "up.sh lab", $7 is init|restart');
    const learn = '#!/bin/sh\ncase "$1" in\nadd) echo "$3" ;;\ndelete) echo «${3}» ;;\nesac\nexit 0\n';
    const g = assertOneAt(lint(['learn-address'], learn), 'HS621', learn);
    assert.match(g.message, /never for delete/);
    const route = '#!/bin/sh\necho «$1»\n';
    assertOneAt(lint(['route-up'], route), 'HS621', route);
  });

  test('HS621 through names: op="$1" addr="$2" cn="$3", then $cn in the branch of case "$op" for delete', () => {
    const learn =
      '#!/bin/sh\nop="$1"; addr="$2"; cn="$3"\ncase "$op" in\nadd|update) iptables -A FORWARD -s "$addr" -m comment --comment "$cn" ;;\n' +
      'delete) iptables -D FORWARD -s "$addr" -m comment --comment "«$cn»" ;;\nesac\nexit 0\n';
    const f = assertOneAt(lint(['learn-address'], learn), 'HS621', learn);
    assert.match(f.message, /\$cn is empty here: it holds \$3, and learn-address passes the common name only for add and update/);
  });

  test('HS621 on ipchange: OpenVPN passes "ip port" as one argument, so $2 is empty', () => {
    const ipchange = '#!/bin/sh\necho "$1" «$2»\n';
    assertOneAt(lint(['ipchange'], ipchange), 'HS621', ipchange);
  });

  test('HS631: an OpenVPN variable in the delete branch of learn-address is empty; in add, or assigned, it is fine', () => {
    const learn =
      '#!/bin/sh\nnote=x\ncase "$1" in\nadd) echo "$common_name" ;;\ndelete) echo «$common_name» "$script_type" "$note" "$2" ;;\nesac\n';
    const f = assertOneAt(lint(['learn-address'], learn), 'HS631', learn);
    assert.match(f.message, /script_type as its only variable/);
  });

  test('HS622: trusted_ip in a firewall rule is a hint; in a log line it is fine', () => {
    const source = '#!/bin/sh\niptables -A FORWARD -s "$«trusted_ip»" -j ACCEPT\nlogger "from $trusted_ip"\nexit 0\n';
    const f = assertOneAt(lint(['client-connect'], source), 'HS622', source);
    assert.equal(f.severity, 'hint');
    assert.match(f.message, /ifconfig_pool_remote_ip/);
  });

  test('HS623: a trailing echo >> log decides client-connect; exit 0 after it does not', () => {
    const source = '#!/bin/sh\ntest -n "$common_name" || exit 1\n«echo "$common_name connected" >> /var/log/vpn.log»\n';
    assertOneAt(lint(['client-connect'], source), 'HS623', source);
    assert.deepEqual(codes(lint(['client-connect'], `${marked(source).text}exit 0\n`)), []);
    assert.deepEqual(codes(lint(['up'], marked(source).text)), [], 'up is not client-connect');
  });

  test('HS624: a variable near an OpenVPN one gets a fix; assigned names and numbered families are left alone', () => {
    const source = '#!/bin/sh\necho "$«comon_name»" "$route_network_3" "$X509_1_O"\nmine=1\necho "$mine"\nexit 0\n';
    const f = assertOneAt(lint(['client-connect'], source), 'HS624', source);
    assert.deepEqual(f.fix, { kind: 'replace', with: 'common_name' });
  });

  test("HS624 leaves bash's name listing alone: update-resolv-conf loops over ${!foreign_option_*}", () => {
    const source =
      '#!/bin/bash\nfor optionname in ${!foreign_option_*} ${!route_network_@}; do\n  option="${!optionname}"\n  echo ' +
      '"$option"\ndone\nexit 0\n';
    assert.deepEqual(codes(lint(['up', 'down'], source)), []);
  });

  test('HS625 and HS626: not executable, no #! line (OpenVPN execs it without a shell)', () => {
    const findings = lint(['up'], 'exit 0\n', facts(), 0o644);
    assert.deepEqual(codes(findings).sort(), ['HS625', 'HS626']);
  });
});
