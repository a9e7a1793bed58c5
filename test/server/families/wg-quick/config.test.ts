import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe as suite, test } from 'node:test';
import { configTypeOf, lintAndWire, lintConfig } from '../../../../server/src/config/configDocs';
import { configContext } from '../../../../server/src/config/context';
import { wiring } from '../../../../server/src/config/wiring';
import { Finding } from '../../../../server/src/diagnostics';
import { lintHook } from '../../../../server/src/hooks/lintHook';
import { recognizeHook } from '../../../../server/src/families/registry';
import { loadShellParser } from '../../../../server/src/shell/parser';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { marked } from '../../../helpers/marked';
import { expandSnippet, readSnippets } from '../../../helpers/snippets';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-config-'));
before(loadShellParser);
after(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => wiring.clear());

let n = 0;
/** A folder holding `name` (marked source, mode 600 unless given) and the files given; answers the config's findings. */
function project(
  source: string,
  opts: { name?: string; mode?: number; files?: Record<string, { text: string; mode?: number }> } = {},
): { findings: Finding[]; dir: string; file: string } {
  const dir = path.join(root, `p${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, f] of Object.entries(opts.files ?? {})) fs.writeFileSync(path.join(dir, name), f.text, { mode: f.mode ?? 0o755 });
  const file = path.join(dir, opts.name ?? 'wg0.conf');
  const text = marked(source).text;
  fs.writeFileSync(file, text);
  fs.chmodSync(file, opts.mode ?? 0o600);
  const match = configTypeOf(file, text);
  assert.ok(match, 'recognised as a wg-quick config');
  return { findings: lintAndWire(match, file, text, { roots: [dir], serverPaths: {} }).findings, dir, file };
}

const iface = '[Interface]\nAddress = 10.99.0.1/24\nPrivateKey = cHJpdmF0ZQ==\nListenPort = 51820\n';
const peer = '\n[Peer]\nPublicKey = cHVibGlj\nAllowedIPs = 10.99.0.2/32\n';

suite('wg-quick config recognition', () => {
  test('a .conf with an [Interface] section line, in any case; OpenVPN and ocserv configs are not', () => {
    assert.equal(configTypeOf('/etc/wireguard/wg0.conf', iface)?.family.id, 'wg-quick');
    assert.equal(configTypeOf('/x/office.conf', '# vpn\n  [interface]\r\nAddress = 10.0.0.1/24\r\n')?.family.id, 'wg-quick');
    assert.equal(configTypeOf('/x/client.conf', 'client\ndev tun\nremote vpn.example.com 1194\n')?.family.id, 'openvpn');
    assert.equal(configTypeOf('/x/wg0.txt', iface), undefined);
    assert.equal(configTypeOf('/x/ocserv.conf', iface)?.family.id, 'ocserv', 'ocserv.conf by its name stays ocserv');
  });
});

suite('wg-quick config rules', () => {
  test('a symmetric config raises nothing', () => {
    const { findings } = project(
      `${iface}PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE\n` +
        `PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -t nat -D POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE\n` +
        `PreUp = ip rule add from 10.99.0.0/24 table 51820\nPostDown = ip rule del from 10.99.0.0/24 table 51820\n${peer}`,
    );
    assert.deepEqual(codes(findings), [], describe(findings));
  });

  test('a PostDown that leaves out a match of its PostUp (-s 10.99.0.0/24) is reported on that PostDown command', () => {
    const source =
      `${iface}PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE\n` +
      `PostDown = iptables -D FORWARD -i %i -j ACCEPT; «iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE»\n`;
    const f = assertOneAt(project(source).findings, 'HS654', source);
    assert.match(f.message, /lacks -s 10\.99\.0\.0\/24/);
    assert.match(f.message, /iptables -t nat -D POSTROUTING -s 10\.99\.0\.0\/24 -o eth0 -j MASQUERADE/);
  });

  test('a change with no undo at all is reported on the up command; %i and the interface name compare alike', () => {
    const source =
      `${iface}PostUp = iptables -A FORWARD -i %i -j ACCEPT; «ip route add 10.50.0.0/16 via 192.168.1.1 dev eth0»\n` +
      'PostDown = iptables -D FORWARD -i wg0 -j ACCEPT\n';
    const f = assertOneAt(project(source).findings, 'HS654', source);
    assert.match(f.message, /Add PostDown = ip route del 10\.50\.0\.0\/16/);
    const rule = `${iface}PreUp = «ip rule add from 10.99.0.0/24 table 7»\n`;
    assertOneAt(project(rule).findings, 'HS654', rule);
  });

  test('iptables -I at a position is undone by -D without it; an -I no down line removes is reported on its command', () => {
    const source =
      `${iface}PostUp = iptables -I FORWARD 1 -i %i -j ACCEPT; «iptables -I INPUT -p udp --dport 51820 -j ACCEPT»\n` +
      'PostDown = iptables -D FORWARD -i %i -j ACCEPT\n';
    const f = assertOneAt(project(source).findings, 'HS654', source);
    assert.match(f.message, /Add PostDown = iptables -D INPUT -p udp --dport 51820 -j ACCEPT\./);
  });

  test('what goes with the interface needs no undo: a route or address on %i, deleted with it before PostDown', () => {
    const source =
      `${iface}PostUp = ip route add 10.50.0.0/16 via 10.99.0.2 dev %i; ip -6 route add fd00:50::/48 dev wg0 table 51820\n` +
      'PostUp = ip addr add 10.99.0.9/32 dev %i\n';
    const { findings } = project(source);
    assert.deepEqual(
      codes(findings).filter((c) => c === 'HS654'),
      [],
      describe(findings),
    );
  });

  test('iptables -m udp after -p udp is the match -p loads anyway; ip rule del with fewer selectors deletes the rule', () => {
    const source =
      `${iface}PostUp = iptables -A INPUT -p udp --dport 51820 -j ACCEPT; ip rule add fwmark 0x1 table 200 priority 100\n` +
      'PostUp = ip rule add not fwmark 51820 table 51820 pref 5\n' +
      'PostDown = iptables -D INPUT -p udp -m udp --dport 51820 -j ACCEPT; ip rule del fwmark 0x1 table 200\n' +
      'PostDown = ip rule del not fwmark 51820 table 51820\n';
    const { findings } = project(source);
    assert.deepEqual(codes(findings), [], describe(findings));
  });

  test('a flush of the chain on down undoes what up appended to it', () => {
    const { findings } = project(`${iface}PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -F FORWARD\n`);
    assert.deepEqual(codes(findings), [], describe(findings));
  });

  test('a stray quote is a syntax error at the quote, after leading blanks, with CRLF line ends, after a BOM', () => {
    const plain = `${iface}PostUp = echo «"»oops; iptables -A INPUT -j ACCEPT\n`;
    const f = assertOneAt(project(plain).findings, 'HS652', plain);
    assert.match(f.message, /never closed/);
    const spaced = `${iface}   PostUp   =    echo ok; echo «'»it is\n`;
    assertOneAt(project(spaced).findings, 'HS652', spaced);
    const crlf = `${iface}PostUp = echo ok\r\nPostDown = printf «"»%s\r\n`.replace(/(?<!\r)\n/g, '\r\n');
    assertOneAt(project(crlf).findings, 'HS652', crlf);
    const bom = `\uFEFF${iface}PostUp = echo «"»x\n`;
    assertOneAt(project(bom).findings, 'HS652', bom);
  });

  test('an unclosed parenthesis is an error on its line; the other lines are still checked', () => {
    const source = `${iface}PostUp = echo $(date\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\n`;
    const { findings } = project(source);
    assert.deepEqual(codes(findings).sort(), ['HS652', 'HS654'], describe(findings));
  });

  test('a "#" inside quotes: wg-quick cuts the line there, so the rest never runs', () => {
    const source = `${iface}PostUp = echo "a«#b"»\n`;
    const { findings } = project(source);
    assertOneAt(findings, 'HS653', source);
    assert.ok(codes(findings).includes('HS652'), 'what is left has an unclosed quote');
    const comment = project(`${iface}PostUp = echo hi # say hi\n`).findings;
    assert.deepEqual(codes(comment), [], describe(comment));
  });

  test("the config's own interface name written where %i belongs is a hint with a fix", () => {
    const source = `${iface}PostUp = iptables -A FORWARD -i «wg0» -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCEPT\n`;
    const f = assertOneAt(project(source).findings, 'HS655', source);
    assert.equal(f.severity, 'hint');
    assert.deepEqual(f.fix, { kind: 'replace', with: '%i' });
  });

  test('HS655 in a quoted word marks the name inside the quotes, so its fix leaves the quotes: iifname "%i"', () => {
    const source = `${iface}PostUp = nft add rule inet filter forward iifname "«wg0»" accept; logger '«wg0»'\n`;
    const found = project(source).findings.filter((f) => f.code === 'HS655');
    const { spans } = marked(source);
    assert.deepEqual(
      found.map((f) => [f.start, f.end]),
      spans.map((sp) => [sp.start, sp.end]),
      describe(found),
    );
  });

  test('file names wg-quick refuses: a space, more than 15 characters', () => {
    for (const name of ['my vpn.conf', 'a-very-long-name1.conf']) {
      const { findings } = project(iface, { name });
      assert.deepEqual(codes(findings), ['HS656'], describe(findings));
    }
    assert.deepEqual(codes(project(iface, { name: 'wg_office+2=.conf' }).findings), []);
  });

  test('a config its group or others may read holds the private key: warning', () => {
    const { findings } = project(iface, { mode: 0o644 });
    assert.deepEqual(codes(findings), ['HS657'], describe(findings));
  });

  test('keys are case-insensitive; a hook key outside [Interface] is not run; keys in the wrong section, unknown keys and sections', () => {
    const source =
      `«PostUp» = echo before any section\n${iface}postup = iptables -A FORWARD -i %i -j ACCEPT\n` +
      `POSTDOWN = iptables -D FORWARD -i %i -j ACCEPT\n«PublicKey» = x\n«ListenPorts» = 1\n[Peer]\n«PostDown» = echo x\n` +
      '«[Peers]»\nEndpoint = 192.0.2.1:51820\n';
    const { findings } = project(source);
    assert.deepEqual(codes(findings).sort(), ['HS650', 'HS650', 'HS650', 'HS651', 'HS659'], describe(findings));
    const { spans } = marked(source);
    assert.deepEqual(
      findings.map((f) => ({ start: f.start, end: f.end })),
      spans,
    );
    const unknown = findings.find((f) => f.code === 'HS651');
    assert.deepEqual(unknown?.fix, { kind: 'replace', with: 'ListenPort' });
  });

  test('a script a hook line runs is found beside the config, recognised as a wg-quick hook script, and checked', () => {
    const { dir, findings } = project(`${iface}PostUp = /etc/wireguard/nat-up.sh %i\nPostDown = «/etc/wireguard/nat-down.sh» %i\n`, {
      files: {
        'nat-up.sh': { text: '#!/bin/bash\niptables -A FORWARD -i %i -j ACCEPT\n' },
        'nat-down.sh': { text: '#!/bin/bash\n', mode: 0o644 },
      },
    });
    // nat-down.sh removes nothing: the rule nat-up.sh adds stays (HS654 at the call).
    assert.deepEqual(codes(findings).sort(), ['HS654', 'HS661'], describe(findings));
    const up = path.join(dir, 'nat-up.sh');
    const recognized = recognizeHook(up, []);
    assert.equal(recognized?.family.id, 'wg-quick');
    const text = fs.readFileSync(up, 'utf8');
    const linted = lintHook({ path: up, text, mode: 0o755, siblings: [], readSibling: () => undefined });
    const hs660 = linted?.findings.filter((f) => f.code === 'HS660') ?? [];
    assert.equal(hs660.length, 1);
    assert.equal(text.slice(hs660[0].start, hs660[0].end), '%i');
    const missing = project(`${iface}PostUp = «/etc/wireguard/gone.sh»\n`);
    assertOneAt(missing.findings, 'HS658', `${iface}PostUp = «/etc/wireguard/gone.sh»\n`);
  });
});

suite('wg-quick HS654 through the scripts the hook lines run', () => {
  const upScript = [
    '#!/bin/bash',
    'iptables -A FORWARD -i "$1" -j ACCEPT',
    'iptables -t nat -A POSTROUTING -s "$2" -o eth0 -j MASQUERADE',
    'ip rule add from "$2" table 51820',
    '',
  ].join('\n');
  const downScript = '#!/bin/bash\niptables -D FORWARD -i "$1" -j ACCEPT\nip rule del from "$2" table 51820\n';
  const lintScript = (file: string): Finding[] =>
    lintHook({ path: file, text: fs.readFileSync(file, 'utf8'), mode: 0o755, siblings: [], readSibling: () => undefined })?.findings ?? [];

  test('up.sh adds a rule down.sh never removes: reported at the call in the config and at the command in up.sh, with $1, $2 read', () => {
    const source = `${iface}PostUp = «/etc/wireguard/up.sh» %i 10.99.0.0/24\nPostDown = /etc/wireguard/down.sh %i 10.99.0.0/24\n${peer}`;
    const { dir, findings } = project(source, { files: { 'up.sh': { text: upScript }, 'down.sh': { text: downScript } } });
    const f = assertOneAt(findings, 'HS654', source);
    assert.match(f.message, /PostUp \(line 5\) runs up\.sh, which adds iptables rule in POSTROUTING, and no PreDown or PostDown line/);
    assert.match(f.message, /Run iptables -t nat -D POSTROUTING -s 10\.99\.0\.0\/24 -o eth0 -j MASQUERADE on down/);
    const inScript = lintScript(path.join(dir, 'up.sh')).filter((x) => x.code === 'HS654');
    assert.deepEqual(
      inScript.map((x) => upScript.slice(x.start, x.end)),
      ['iptables -t nat -A POSTROUTING -s "$2" -o eth0 -j MASQUERADE'],
    );
    assert.match(inScript[0].message, /wg0\.conf \(whose PostUp runs this script\) removes it nowhere/);
  });

  test('a PostDown line, or the down script, that removes it with the same spec (%i and "$1" alike) clears both', () => {
    const source =
      `${iface}PostUp = /etc/wireguard/up.sh %i 10.99.0.0/24\nPostUp = iptables -A INPUT -i %i -j ACCEPT\n` +
      `PostDown = /etc/wireguard/down.sh %i 10.99.0.0/24\n` +
      `PostDown = iptables -t nat -D POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE\n${peer}`;
    const down = `${downScript}iptables -D INPUT -i "$1" -j ACCEPT\n`;
    const { dir, findings } = project(source, { files: { 'up.sh': { text: upScript }, 'down.sh': { text: down } } });
    assert.deepEqual(codes(findings), [], describe(findings));
    assert.deepEqual(codes(lintScript(path.join(dir, 'up.sh'))), []);
  });
});

suite('wg-quick snippets', () => {
  test('the PostUp/PostDown pairs, as they expand, are symmetric: the config raises nothing', () => {
    for (const file of ['snippets/properties.json', 'snippets/ini.json']) {
      const pairs = readSnippets(file).filter((s) => s.prefix.startsWith('wg-'));
      assert.deepEqual(pairs.map((s) => s.prefix).sort(), ['wg-nat', 'wg-rule']);
      const { findings } = project(`${iface}${pairs.map((s) => expandSnippet(s.body)).join('')}${peer}`);
      assert.deepEqual(codes(findings), [], describe(findings));
    }
  });
});

suite('wg-quick config: bad input', () => {
  const lint = (text: string): Finding[] => {
    const file = path.join(root, 'bad.conf');
    const match = configTypeOf(file, '[Interface]\n');
    assert.ok(match);
    return lintConfig(match, text, configContext(file, { roots: [root], serverPaths: {} })).findings;
  };

  test('a line without "=" is HS500 at its line; binary content is HS501 alone', () => {
    const source = `[Interface]\n«PostUp iptables -A INPUT -j ACCEPT»\n`;
    assertOneAt(lint(marked(source).text), 'HS500', source);
    assert.deepEqual(codes(lint('[Interface]\nPostUp = echo \0\0\n')), ['HS501']);
  });

  test('a huge config with many hook lines is read without a crash, its findings bounded', () => {
    const text = `[Interface]\n${'PostUp = iptables -A INPUT -s 10.0.0.1 -j ACCEPT\n'.repeat(3000)}`;
    const findings = lint(text);
    assert.equal(findings.filter((f) => f.code === 'HS654').length, 2000);
    assert.equal(findings.filter((f) => f.code === 'HS652').length, 1, 'one note that the rest was not parsed');
  });
});
