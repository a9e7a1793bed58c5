import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { recognizeHook } from '../../../../server/src/families/registry';
import { lintHook } from '../../../../server/src/hooks/lintHook';
import { hookFile } from '../../../helpers/hooks';
import { costGrowth } from '../../../helpers/scaling';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../../helpers/hooks';

needsShellParser();

const script = (source: string, name = 'vpnc-script-office') => lintInMemory({ path: `/etc/openconnect/${name}`, source, mode: 0o755 });
const hookIn = (folder: string, source: string, name = '10-office') =>
  lintInMemory({ path: `/etc/vpnc/${folder}/${name}`, source, mode: 0o644 });
const only = (code: string) => (f: { code: string }) => f.code === code;

const allReasons = 'pre-init|attempt-reconnect|reconnect) ;;\n';

suite('vpnc-script recognition', () => {
  test('by name, in a hook folder, named by a unit or a wrapper beside it, and by the setting', () => {
    assert.equal(recognizeHook('/etc/vpnc/vpnc-script', ['vpnc-script'])?.hook.name, 'vpnc-script');
    assert.equal(recognizeHook('/srv/vpn/vpnc-script-split', ['vpnc-script-split'])?.hook.name, 'vpnc-script');
    assert.equal(recognizeHook('/srv/vpn/vpnc-script.md', ['vpnc-script.md']), undefined, 'notes about it are not it');
    for (const folder of [
      'pre-init',
      'connect',
      'post-connect',
      'disconnect',
      'post-disconnect',
      'attempt-reconnect',
      'post-attempt-reconnect',
      'reconnect',
    ]) {
      const r = recognizeHook(`/etc/vpnc/${folder}.d/10-x`, ['10-x']);
      assert.equal(r?.hook.name, `${folder}.d`, folder);
      assert.equal(r?.hook.runModel, 'sourced', folder);
    }
    assert.equal(recognizeHook('/etc/vpnc/connect.d/.10-x.swp', ['.10-x.swp']), undefined, 'the stock glob skips dot files');
    assert.equal(recognizeHook('/etc/other/connect.d/10-x', ['10-x']), undefined, 'a connect.d not under vpnc/');
    assert.equal(
      recognizeHook('/srv/hooks/connect.d/10-x', ['10-x'], { '/srv/hooks/**': 'vpnc-script' })?.hook.name,
      'connect.d',
      'mapped by setting',
    );
    assert.equal(recognizeHook('/srv/hooks/routes.sh', ['routes.sh'], { '/srv/hooks/**': 'vpnc-script' })?.hook.name, 'vpnc-script');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-vpnc-launch-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'office.service'),
        '[Service]\nExecStart=/usr/sbin/openconnect --protocol=anyconnect \\\n  --script "/etc/openconnect/split-routes ' +
          '10.0.0.0/8" vpn.example.com\n',
      );
      fs.writeFileSync(
        path.join(dir, 'start-openconnect.sh'),
        '#!/bin/sh\nexec openconnect -s ./routes-wrapper vpn.example.com # -s names the script\n',
      );
      fs.writeFileSync(path.join(dir, 'other.sh'), 'echo openconnect --script not-it\n');
      const siblings = fs.readdirSync(dir);
      assert.equal(
        recognizeHook(path.join(dir, 'split-routes'), siblings)?.hook.name,
        'vpnc-script',
        'named by ExecStart (the first word of its command line)',
      );
      assert.equal(recognizeHook(path.join(dir, 'routes-wrapper'), siblings)?.hook.name, 'vpnc-script', 'named by a wrapper');
      assert.equal(recognizeHook(path.join(dir, 'not-it'), siblings), undefined, 'an echo is not openconnect');
      assert.equal(recognizeHook(path.join(dir, 'routes-wrapper'), ['routes-wrapper']), undefined, 'no launcher beside it');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a shell wrapper of any name names its --script target: by a #! line naming a shell, or a .sh / .bash name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-vpnc-wrap-'));
    try {
      const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
      write('corp-vpn', '#!/bin/bash\nset -e\nsudo openconnect --protocol=gp --script ./split.sh vpn.example.com\n');
      write('vpn-up.sh', 'exec openconnect -s "$PWD/office-routes" vpn.example.com\n');
      write('lab', '#!/usr/bin/env -S dash -e\nopenconnect --script=lab-routes vpn.example.com\n');
      write('NOTES', 'To connect: openconnect --script ./noted-routes vpn.example.com\n');
      write('connect.py', '#!/usr/bin/python3\nopenconnect -s ./py-routes vpn.example.com\n');
      write('echoes.sh', '#!/bin/sh\necho openconnect --script echoed-routes\n');
      for (const s of ['split.sh', 'office-routes', 'lab-routes', 'noted-routes', 'py-routes', 'echoed-routes']) write(s, 'true\n');
      const siblings = fs.readdirSync(dir);
      const hook = (name: string) => recognizeHook(path.join(dir, name), siblings)?.hook.name;
      assert.equal(hook('split.sh'), 'vpnc-script', 'named by corp-vpn, a #!/bin/bash wrapper');
      assert.equal(hook('office-routes'), 'vpnc-script', 'named by vpn-up.sh (no #! line: its name says shell)');
      assert.equal(hook('lab-routes'), 'vpnc-script', 'named by lab, a #!/usr/bin/env dash wrapper');
      assert.equal(hook('noted-routes'), undefined, 'a note that mentions openconnect is not a launcher');
      assert.equal(hook('py-routes'), undefined, 'a Python script is not a shell wrapper');
      assert.equal(hook('echoed-routes'), undefined, 'echo openconnect runs echo');
      assert.equal(hook('corp-vpn'), undefined, 'the wrapper is not its own launcher');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a folder of many files: a wrapper by name is still found, and each file costs no more as the folder grows', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-vpnc-many-'));
    try {
      const files = Array.from({ length: 2000 }, (_, i) => `data-${String(i).padStart(5, '0')}`);
      for (const f of files) fs.writeFileSync(path.join(dir, f), '#!/bin/sh\nexit 0\n');
      fs.writeFileSync(path.join(dir, 'zz-up.sh'), 'openconnect -s ./data-01999 vpn.example.com\n');
      const all = fs.readdirSync(dir);
      assert.equal(recognizeHook(path.join(dir, 'data-01999'), all)?.hook.name, 'vpnc-script', 'a .sh name is read before the rest');
      // Every file of a folder of `size` is recognised against that folder's listing, as a scan does.
      const growth = costGrowth(
        (size) => {
          const siblings = files.slice(0, size);
          for (const f of siblings) recognizeHook(path.join(dir, f), siblings);
        },
        125,
        2000,
        2000,
      );
      assert.ok(growth < 4, `one file costs ${growth.toFixed(1)} times as much in a folder of 2,000 as in one of 125`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

suite('vpnc-script rules', () => {
  test('a correct script and correct hook files raise nothing', () => {
    const ok = `#!/bin/sh
i=0
while [ "$i" -lt "\${CISCO_SPLIT_INC:-0}" ]; do
	eval addr="\\\${CISCO_SPLIT_INC_\${i}_ADDR}"
	i=$((i + 1))
done
case "$reason" in
	pre-init|attempt-reconnect|reconnect) ;;
	connect) ip route add 10.20.0.0/16 dev "$TUNDEV"; iptables -A FORWARD -i "$TUNDEV" -j ACCEPT ;;
	disconnect) ip route del 10.20.0.0/16 dev "$TUNDEV"; iptables -D FORWARD -i "$TUNDEV" -j ACCEPT ;;
	*) exit 1 ;;
esac
`;
    assert.deepEqual(codes(script(ok)), []);
    assert.deepEqual(
      codes(
        hookIn('post-connect.d', 'logger -t vpn "up on $TUNDEV ($INTERNAL_IP4_ADDRESS)"\n[ -n "$CISCO_BANNER" ] || return 0\n(exit 3)\n'),
      ),
      [],
    );
  });

  test('HS550: a reason with no branch and a *) that exits 1 (reconnects break); none when *) succeeds', () => {
    const source = `«case» "$reason" in\n\tconnect) ;;\n\tdisconnect) ;;\n\t*) echo "unknown reason" >&2; exit 1 ;;\nesac\n`;
    const f = assertOneAt(script(source), 'HS550', source);
    assert.match(f.message, /pre-init, attempt-reconnect, reconnect/);
    assert.match(f.message, /reconnects break \(openwrt\/packages#10004\)/);
    const globbed = `case "$reason" in\n\tpre-init|connect|disconnect) ;;\n\t*reconnect) ;;\n\t*) exit 1 ;;\nesac\n`;
    assert.deepEqual(script(globbed).filter(only('HS550')), [], '*reconnect covers both');
    assert.deepEqual(script(`case "$reason" in\n\tconnect) ;;\n\t*) ;;\nesac\n`).filter(only('HS550')), [], 'a *) that succeeds');
    const noDefault = `«case» $reason in\n\tconnect|disconnect) ;;\nesac\n`;
    assert.match(
      assertOneAt(script(noDefault), 'HS550', noDefault).message,
      /does nothing for them: on attempt-reconnect the route to the gateway/,
    );
    const wrapper = `case "$reason" in\n\tconnect) export CISCO_SPLIT_INC=1 ;;\nesac\nexec /usr/share/vpnc-scripts/vpnc-script\n`;
    assert.deepEqual(script(wrapper).filter(only('HS550')), [], 'a wrapper falls through to the stock script');
  });

  test('HS550: if / elif chains on $reason ([ ], test, [[ ]], || lists, a run of ifs), at the first if', () => {
    const chain =
      '«if» [ "$reason" = connect ]; then :\nelif test "$reason" = disconnect; then :\nelif [[ $reason == pre-init ]]; then :\n' +
      'else\n\techo "unknown $reason" >&2; exit 1\nfi\n';
    const f = assertOneAt(script(chain), 'HS550', chain);
    assert.match(f.message, /^This if chain on \$reason has no branch for attempt-reconnect, reconnect: its else exits with an error/);
    assert.match(f.message, /reconnects break/);
    const covered =
      'if [ "$reason" = connect ] || [ reconnect = "$reason" ]; then :\nelif [[ $reason == *disconnect || $reason = pre-init ]]; ' +
      'then :\nelif [[ "$reason" == attempt-reconnect ]]; then :\nelse exit 1\nfi\n';
    assert.deepEqual(script(covered).filter(only('HS550')), [], '|| lists, either side, [[ ]] globs');
    const inside = '«if» [[ $reason == connect || $reason == disconnect ]]; then :\nelse exit 1\nfi\n';
    assert.match(assertOneAt(script(inside), 'HS550', inside).message, /no branch for pre-init, attempt-reconnect, reconnect:/);
    const deep = `if [[ ${Array.from({ length: 200 }, () => '$reason == connect').join(' || ')} ]]; then :\nelse exit 1\nfi\n`;
    assert.deepEqual(script(deep).filter(only('HS550')), [], 'too deep to read: coverage unknown, and no crash');
    const run = '«if» [ "$reason" = connect ]; then :; fi\nif [ "$reason" = disconnect ]; then :; fi\n';
    assert.match(assertOneAt(script(run), 'HS550', run).message, /no branch for pre-init, attempt-reconnect, reconnect: nothing follows/);
    const runAll =
      `if [ "$reason" = connect ]; then :; fi\nif test "$reason" = disconnect; then :; fi\nif [ "$reason" = pre-init ] || ` +
      `[ "$reason" = reconnect ] || [ "$reason" = attempt-reconnect ]; then :; fi\n`;
    assert.deepEqual(script(runAll).filter(only('HS550')), [], 'a run of ifs covers the reasons together');
    for (const unknown of [
      'if [ "$reason" = connect ]; then :\nelif [ -n "$TUNDEV" ]; then :\nelse exit 1\nfi\n',
      'if [ "$reason" != connect ]; then exit 1; fi\n',
      'if [ "$reason" = connect ] && [ -n "$TUNDEV" ]; then :\nelse exit 1\nfi\n',
    ])
      assert.deepEqual(script(unknown).filter(only('HS550')), [], `coverage unknown: ${unknown}`);
    assert.deepEqual(script('if [ "$reason" = connect ]; then :; else :; fi\n').filter(only('HS550')), [], 'an else that succeeds');
    const wrapper = 'if [ "$reason" = connect ]; then export CISCO_SPLIT_INC=1; fi\nexec /usr/share/vpnc-scripts/vpnc-script\n';
    assert.deepEqual(script(wrapper).filter(only('HS550')), [], 'falls through to the stock script');
  });

  test('HS551: $REASON, with a fix to $reason', () => {
    const source = 'if [ "$«REASON»" = connect ]; then :; fi\n';
    assert.deepEqual(assertOneAt(script(source), 'HS551', source).fix, { kind: 'replace', with: 'reason' });
    assert.deepEqual(script('REASON=$reason\necho "$REASON"\n').filter(only('HS551')), [], 'set by the script itself');
  });

  test('HS552: exit in a sourced file (top level or a function it calls), with a fix to return; not in a subshell', () => {
    const source = '[ -n "$TUNDEV" ] || «exit» 0\n';
    assert.deepEqual(assertOneAt(hookIn('connect.d', source), 'HS552', source).fix, { kind: 'replace', with: 'return' });
    const inFn = 'check() { [ -n "$TUNDEV" ] || «exit» 1; }\ncheck\n';
    assert.match(assertOneAt(hookIn('disconnect.d', inFn), 'HS552', inFn).message, /exit in check\(\), which this file calls/);
    assert.deepEqual(hookIn('connect.d', '(exit 1)\nx=$(exit 2)\n').filter(only('HS552')), []);
    assert.deepEqual(script('exit 0\n').filter(only('HS552')), [], 'the script itself may exit');
  });

  test('HS553: a shebang in a sourced file is a hint', () => {
    const source = '«#!/bin/bash»\nlogger up\n';
    assert.equal(assertOneAt(hookIn('post-connect.d', source), 'HS553', source).severity, 'hint');
  });

  test("HS554: redefining one of the stock script's functions is a note", () => {
    const source = '«modify_resolvconf_generic»() { :; }\nmy_own() { :; }\n';
    assert.equal(assertOneAt(hookIn('pre-init.d', source), 'HS554', source).severity, 'information');
  });

  test("HS555: near misses of openconnect's variables, with the right name as the fix", () => {
    const addr = 'ip addr add "$«INTERNAL_IP4_ADRESS»" dev "$TUNDEV"\n';
    assert.deepEqual(assertOneAt(script(addr), 'HS555', addr).fix, { kind: 'replace', with: 'INTERNAL_IP4_ADDRESS' });
    // The nearest name, not the first one near enough: IP6's address, though IP4's is listed first.
    const v6 = 'ip -6 addr add "$«INTERNAL_IP6_ADRESS»" dev "$TUNDEV"\n';
    assert.deepEqual(assertOneAt(script(v6), 'HS555', v6).fix, { kind: 'replace', with: 'INTERNAL_IP6_ADDRESS' });
    const len = 'echo "${«CISCO_SPLIT_INC_1_MASK_LEN»}"\n';
    assert.deepEqual(assertOneAt(hookIn('connect.d', len), 'HS555', len).fix, { kind: 'replace', with: 'CISCO_SPLIT_INC_1_MASKLEN' });
    // IPv4's dotted _MASK has no IPv6 twin: three edits from _MASKLEN, still caught.
    const v6mask = 'ip -6 route add "$CISCO_IPV6_SPLIT_INC_0_ADDR/$«CISCO_IPV6_SPLIT_INC_0_MASK»" dev "$TUNDEV"\n';
    const mask = assertOneAt(script(v6mask), 'HS555', v6mask);
    assert.deepEqual(mask.fix, { kind: 'replace', with: 'CISCO_IPV6_SPLIT_INC_0_MASKLEN' });
    assert.match(mask.message, /an IPv6 split entry has no dotted netmask, only CISCO_IPV6_SPLIT_INC_0_MASKLEN/);
    assert.deepEqual(
      script('CISCO_MY_FLAG=1\necho "$CISCO_MY_FLAG $CISCO_SPLIT_INC_3_ADDR $VPNGATEWAY $TUNNEL_NAME"\n').filter(only('HS555')),
      [],
    );
  });

  test('HS556: split-include loops that start at 1 (while, seq, C-style); 0 is right', () => {
    const whileLoop = `i=«1»\nwhile [ $i -le $CISCO_SPLIT_INC ]; do\n\ti=$((i+1))\ndone\n`;
    assertOneAt(script(whileLoop), 'HS556', whileLoop);
    // Quoted as ShellCheck asks, and over the IPv6 split includes.
    const quoted = `i=«1»\nwhile [ "$i" -le "\${CISCO_IPV6_SPLIT_INC:-0}" ]; do\n\ti=$((i+1))\ndone\n`;
    assertOneAt(script(quoted), 'HS556', quoted);
    const seq = 'for n in $(seq «1» "$CISCO_SPLIT_EXC"); do :; done\n';
    assertOneAt(script(seq), 'HS556', seq);
    const cStyle = 'for ((i = «1»; i <= CISCO_SPLIT_INC; i++)); do :; done\n';
    assertOneAt(script(cStyle), 'HS556', cStyle);
    assert.deepEqual(
      script(
        'i=0\nwhile [ $i -lt $CISCO_SPLIT_INC ]; do i=$((i+1)); done\nfor n in $(seq 0 $((CISCO_SPLIT_INC - 1))); do :; done\n',
      ).filter(only('HS556')),
      [],
    );
  });

  test('HS557: connect adds, disconnect (with the functions it calls) does not remove; a flush counts', () => {
    const source =
      `case "$reason" in\n\t${allReasons}\tconnect)\n\t\tip route add 10.20.0.0/16 dev "$TUNDEV"\n\t\t«iptables -A ` +
      `FORWARD -i "$TUNDEV" -j ACCEPT»\n\t\tiptables -A INPUT -i "$TUNDEV" -j DROP\n\t\t;;\n\tdisconnect) teardown ` +
      `;;\nesac\nteardown() { ip route del 10.20.0.0/16; iptables -F INPUT; }\n`;
    const f = assertOneAt(script(source), 'HS557', source);
    assert.match(f.message, /Add "iptables -D FORWARD -i \$TUNDEV -j ACCEPT"/);
  });

  test('HS557: ipset entries, nft rules and elements, addresses off the tunnel and net-tools routes; their undos count', () => {
    const branches = (up: string, down: string) =>
      `case "$reason" in\n\t${allReasons}\tconnect)\n${up}\t\t;;\n\tdisconnect)\n${down}\t\t;;\nesac\n`;
    const up = [
      'ipset add vpn-nets "$INTERNAL_IP4_NETADDR/$INTERNAL_IP4_NETMASKLEN"',
      'nft add rule inet filter forward iifname "$TUNDEV" accept',
      'nft add element inet filter vpn_dns { 10.8.0.53 }',
      'ip addr add 10.8.0.42/32 dev lo',
      'ip addr add "$INTERNAL_IP4_ADDRESS/32" peer "$INTERNAL_IP4_ADDRESS" dev "$TUNDEV"',
      'route add -net 10.30.0.0 netmask 255.255.0.0 gw 192.168.1.1',
    ];
    const source = branches(up.map((l, i) => (i === 4 ? `\t\t${l}\n` : `\t\t«${l}»\n`)).join(''), '\t\t:\n');
    const found = script(source).filter(only('HS557'));
    const marks = [...source.matchAll(/«([^»]*)»/g)].map((m) => m[1]);
    assert.deepEqual(
      found.map((f) => source.replace(/[«»]/g, '').slice(f.start, f.end)),
      marks,
      'each change at its command; the address on $TUNDEV goes with the device',
    );
    assert.match(found[0].message, /Add "ipset del vpn-nets \$INTERNAL_IP4_NETADDR\/\$INTERNAL_IP4_NETMASKLEN"/);
    assert.match(found[2].message, /Add "nft delete element inet filter vpn_dns \{ 10\.8\.0\.53 \}"/);
    assert.match(found[3].message, /Add "ip addr del 10\.8\.0\.42\/32 dev lo"/);
    assert.match(found[4].message, /Add "route del 10\.30\.0\.0"/);
    const down = [
      'ipset del vpn-nets "$INTERNAL_IP4_NETADDR/$INTERNAL_IP4_NETMASKLEN"',
      'nft flush chain inet filter forward',
      'nft delete element inet filter vpn_dns { 10.8.0.53 }',
      'ip addr flush dev lo',
      'route del -net 10.30.0.0 netmask 255.255.0.0',
    ];
    const clean = branches(up.map((l) => `\t\t${l}\n`).join(''), down.map((l) => `\t\t${l}\n`).join(''));
    assert.deepEqual(script(clean).filter(only('HS557')), [], describe(script(clean)));
  });

  test('HS557 across the hook folders: connect.d against the files of disconnect.d', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-vpnc-folders-'));
    try {
      for (const d of ['connect.d', 'disconnect.d']) fs.mkdirSync(path.join(dir, 'vpnc', d), { recursive: true });
      fs.writeFileSync(path.join(dir, 'vpnc', 'disconnect.d', '10-routes'), 'ip route del 10.20.0.0/16\n');
      const source = 'ip route add 10.20.0.0/16 via 192.168.1.1\n«ip route add 10.30.0.0/16 via 192.168.1.1»\n';
      const found = lintHook(hookFile({ path: path.join(dir, 'vpnc', 'connect.d', '10-routes'), source, mode: 0o644 }))?.findings ?? [];
      assert.match(assertOneAt(found, 'HS557', source).message, /no file in disconnect.d or post-disconnect.d undoes it/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('HS557: a route through the tunnel device needs no undo: it goes with tun0 when openconnect removes it', () => {
    const source =
      `case "$reason" in\n\t${allReasons}\tconnect)\n\t\tip route add 10.20.0.0/16 dev "$TUNDEV"\n\t\tip route add ` +
      `10.21.0.0/16 dev tun0\n\t\troute add -net 10.22.0.0 netmask 255.255.0.0 dev $TUNDEV\n\t\t«ip route add ` +
      `"$VPNGATEWAY" via 192.168.1.1 dev eth0»\n\t\t;;\n\tdisconnect) : ;;\nesac\n`;
    const f = assertOneAt(script(source), 'HS557', source);
    assert.match(f.message, /Add "ip route del \$VPNGATEWAY"/);
  });

  test('HS558: iptables -A and ip route add where the script tears down, with -D / del as the fix', () => {
    const inBranch =
      `case "$reason" in\n\t${allReasons}\tconnect) iptables -I OUTPUT -j REJECT ;;\n\tdisconnect) iptables «-A» ` +
      `OUTPUT -j REJECT ;;\nesac\n`;
    assert.deepEqual(assertOneAt(script(inBranch), 'HS558', inBranch).fix, { kind: 'replace', with: '-D' });
    const inFolder = 'ip route «add» 10.20.0.0/16 dev "$TUNDEV"\n';
    assert.deepEqual(assertOneAt(hookIn('post-disconnect.d', inFolder), 'HS558', inFolder).fix, { kind: 'replace', with: 'del' });
    const inFunction = 'del_rules() { iptables «-I» INPUT 1 -j ACCEPT; }\n';
    assert.equal(assertOneAt(script(inFunction), 'HS558', inFunction).fix, undefined, "no fix for -I: its position is not -D's");
    assert.deepEqual(hookIn('connect.d', 'iptables -A OUTPUT -j REJECT\n').filter(only('HS558')), [], describe([]));
  });
});
