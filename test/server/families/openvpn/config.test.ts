import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe as suite, test } from 'node:test';
import { configTypeOf, lintAndWire } from '../../../../server/src/config/configDocs';
import { wiring } from '../../../../server/src/config/wiring';
import { Finding } from '../../../../server/src/diagnostics';
import { recognizeHook } from '../../../../server/src/families/registry';
import { loadShellParser } from '../../../../server/src/shell/parser';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { marked } from '../../../helpers/marked';
import { costGrowth } from '../../../helpers/scaling';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'openvpn-config-'));
before(() => loadShellParser());
after(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => wiring.clear());

let n = 0;
/** A project folder with client.conf (marked source) and the files given; answers the config's findings. */
function project(
  source: string,
  files: Record<string, { text: string; mode?: number }> = {},
  name = 'client.conf',
): { findings: Finding[]; dir: string } {
  const dir = path.join(root, `p${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, { text, mode }] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text, { mode: mode ?? 0o755 });
  }
  const file = path.join(dir, name);
  const text = marked(source).text;
  fs.writeFileSync(file, text);
  const match = configTypeOf(file, text.slice(0, 8192));
  assert.equal(match?.family.id, 'openvpn', 'recognised as an OpenVPN config');
  return { findings: lintAndWire(match, file, text, { roots: [dir], serverPaths: {} }).findings, dir };
}

const script = { text: '#!/bin/sh\nexit 0\n' };
const head = 'client\ndev tun\nremote vpn.example.com 1194\n';

suite('OpenVPN config recognition', () => {
  test('*.ovpn by its name; a *.conf by the directives only OpenVPN has', () => {
    assert.equal(configTypeOf('/x/office.ovpn', '')?.family.id, 'openvpn');
    assert.equal(configTypeOf('/x/client.conf', 'client\ndev tun\n')?.family.id, 'openvpn');
    assert.equal(configTypeOf('/x/server.conf', 'port 1194\ndev tun\nserver 10.8.0.0 255.255.255.0\n')?.family.id, 'openvpn');
    assert.equal(configTypeOf('/x/x.conf', '# inline\n<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\n')?.family.id, 'openvpn');
  });

  test('never a file with INI sections (wg-quick), nor one of key = value lines, nor port/proto alone', () => {
    assert.equal(
      configTypeOf('/x/wg0.conf', '[Interface]\nAddress = 10.0.0.1/24\nPostUp = iptables -A FORWARD -i %i -j ACCEPT\n')?.family.id,
      'wg-quick',
    );
    assert.equal(configTypeOf('/x/odd.conf', 'client\ndev tun\n[Peer]\nEndpoint = x:1\n'), undefined);
    assert.equal(configTypeOf('/x/app.conf', 'remote = example.org\ndev = tun0\n'), undefined);
    assert.equal(configTypeOf('/x/server.conf', 'port 1194\nproto udp\n'), undefined);
    assert.equal(
      configTypeOf('/etc/ntp.conf', 'driftfile /var/lib/ntp/drift\nserver 0.pool.ntp.org iburst\nserver 192.0.2.1 iburst\n'),
      undefined,
    );
    assert.equal(configTypeOf('/x/clients.conf', 'clients 12\nclientele x\n'), undefined);
    assert.notEqual(configTypeOf('/x/ocserv.conf', 'auth = plain\n')?.family.id, 'openvpn');
  });
});

suite('OpenVPN config rules', () => {
  test('a huge generated config (50,000 lines, each an unknown option) gets one finding per line, guesses only within two edits', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `persist-tunn${i}`);
    const { findings } = project(`${head}${lines.join('\n')}\n`);
    assert.equal(findings.length, 50_000);
    assert.ok(findings.every((f) => f.code === 'HS605'));
    assert.equal(findings.filter((f) => f.fix).length, 10, 'persist-tunn0 to persist-tunn9 are two edits from persist-tun');
  });

  test('a correct config raises nothing, and wires its scripts (quoted command with its own words) relative to it', () => {
    const { findings, dir } = project(`${head}script-security 2\nup "scripts/updown.sh lab"\ndown "scripts/updown.sh lab"\n`, {
      'scripts/updown.sh': script,
    });
    assert.deepEqual(codes(findings), [], describe(findings));
    const r = recognizeHook(path.join(dir, 'scripts/updown.sh'), []);
    assert.equal(r?.family.id, 'openvpn');
    assert.deepEqual(r?.hook.runBy, ['up', 'down']);
  });

  test('HS600: a user script without script-security 2 (unset, or 1)', () => {
    const unset = `${head}«up» up.sh\n`;
    assertOneAt(project(unset, { 'up.sh': script }).findings, 'HS600', unset);
    const one = `${head}script-security 1\n«route-up» up.sh\n`;
    const f = assertOneAt(project(one, { 'up.sh': script }).findings, 'HS600', one);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /script-security 2 or higher.*script-security 1/);
    // Refused, down fails as a failing down does (init.c runs it with S_FATAL): OpenVPN exits.
    const down = `${head}«down» down.sh\n`;
    const refused = assertOneAt(project(down, { 'down.sh': script }).findings, 'HS600', down);
    assert.match(
      refused.message,
      /Failed running command \(--up\/--down\): disallowed by script-security setting.*failed down script \(fatal/,
    );
  });

  test('HS601 and HS602: the command is not in the workspace; found but not executable', () => {
    const missing = `${head}script-security 2\nup «/etc/openvpn/missing.sh»\n`;
    assertOneAt(project(missing).findings, 'HS601', missing);
    const notExec = `${head}script-security 2\nup "«up.sh» arg"\n`;
    const f = assertOneAt(project(notExec, { 'up.sh': { text: script.text, mode: 0o644 } }).findings, 'HS602', notExec);
    assert.match(f.message, /fatal/);
  });

  test('HS603: down after the privilege drop running ip and writing /etc, with down-pre and with the down-root plugin too', () => {
    const down = { text: '#!/bin/sh\nip route del 10.20.0.0/16 dev "$1"\necho "nameserver 10.8.0.1" > /etc/resolv.conf\n' };
    const source = `${head}user nobody\ngroup nogroup\nscript-security 2\nup up.sh\n«down» down.sh\n`;
    const f = assertOneAt(project(source, { 'up.sh': script, 'down.sh': down }).findings, 'HS603', source);
    assert.match(f.message, /nobody.*ip route del.*down-root/s);
    assert.doesNotMatch(f.message, /add down-pre/, 'down-pre moves down before the device closes, still as nobody');
    const early = project(`${marked(source).text}down-pre\n`, { 'up.sh': script, 'down.sh': down });
    assert.deepEqual(codes(early.findings), ['HS603'], describe(early.findings));
    // run_up_down calls the plugin, then still runs the down line's script as nobody: only the plugin alone is a fix.
    const plugin = 'plugin /usr/lib/openvpn/openvpn-plugin-down-root.so "down.sh"\n';
    const both = project(`${marked(source).text}${plugin}`, { 'up.sh': script, 'down.sh': down });
    const twice = assertOneAt(both.findings, 'HS603', `${source}${plugin}`);
    assert.match(twice.message, /then still runs this line's script as nobody.*remove this down line/s);
    const fixed = project(`${marked(source).text.replace('down down.sh\n', '')}${plugin}`, { 'up.sh': script, 'down.sh': down });
    assert.deepEqual(codes(fixed.findings), [], describe(fixed.findings));
    const harmless = project(`${marked(source).text}`, { 'up.sh': script, 'down.sh': { text: '#!/bin/sh\nlogger down\n' } });
    assert.deepEqual(codes(harmless.findings), [], 'a down script that needs no root is fine as nobody');
  });

  test('HS633: learn-address and client-connect after the privilege drop running iptables; not without user/group', () => {
    const learn = { text: '#!/bin/sh\ncase "$1" in add) iptables -A FORWARD -s "$2" -j ACCEPT ;; esac\nexit 0\n' };
    const server = 'server 10.8.0.0 255.255.255.0\ndev tun\nscript-security 2\n';
    const source = `${server}user nobody\ngroup nogroup\n«learn-address» learn.sh\nclient-connect cc.sh\nup learn.sh\n`;
    const { findings } = project(source, { 'learn.sh': learn, 'cc.sh': script }, 'server.conf');
    const f = assertOneAt(findings, 'HS633', source);
    assert.match(f.message, /learn-address runs as nobody.*iptables -A FORWARD.*rejects the address/s);
    const asRoot = project(`${server}learn-address learn.sh\n`, { 'learn.sh': learn }, 'server.conf');
    assert.deepEqual(codes(asRoot.findings), [], describe(asRoot.findings));
  });

  test('HS634: the down-root plugin runs a script that dispatches on $script_type, which the plugin never sets', () => {
    const updown = { text: '#!/bin/sh\ncase "$script_type" in\nup) resolvconf -a "$dev" ;;\ndown) resolvconf -d "$dev" ;;\nesac\n' };
    const plugin = 'plugin /usr/lib/openvpn/openvpn-plugin-down-root.so';
    const source = `${head}user nobody\nscript-security 2\nup updown.sh\n${plugin} «"updown.sh"»\n`;
    const f = assertOneAt(project(source, { 'updown.sh': updown }).findings, 'HS634', source);
    assert.match(f.message, /script_type.*empty.*down\) branch never runs/s);
    const own = { text: '#!/bin/sh\nresolvconf -d "$dev"\n' };
    const fine = project(`${head}user nobody\nscript-security 2\nup updown.sh\n${plugin} "down.sh"\n`, {
      'updown.sh': updown,
      'down.sh': own,
    });
    assert.deepEqual(codes(fine.findings), [], describe(fine.findings));
  });

  test('HS604: auth-user-pass-verify without via-env or via-file; HS608: extra words outside the quotes', () => {
    const source = `server 10.8.0.0 255.255.255.0\ndev tun\nscript-security 2\nauth-user-pass-verify «auth.sh»\nup up.sh «lab»\n`;
    const { findings } = project(source, { 'auth.sh': script, 'up.sh': script }, 'server.conf');
    assertOneAt(findings, 'HS604', source, 0);
    const extra = assertOneAt(findings, 'HS608', source, 1);
    assert.match(extra.message, /up "up.sh lab"/);
  });

  test('HS632: via-env with script-security 2 gets no password, at via-env; with 3, or via-file, nothing', () => {
    const server = 'server 10.8.0.0 255.255.255.0\ndev tun\n';
    const two = `${server}script-security 2\nauth-user-pass-verify auth.sh «via-env»\n`;
    const f = assertOneAt(project(two, { 'auth.sh': script }, 'server.conf').findings, 'HS632', two);
    assert.match(f.message, /empty password/);
    const three = `${server}script-security 3\nauth-user-pass-verify auth.sh via-env\n`;
    assert.deepEqual(codes(project(three, { 'auth.sh': script }, 'server.conf').findings), []);
    const file = `${server}script-security 2\nauth-user-pass-verify auth.sh via-file\n`;
    assert.deepEqual(codes(project(file, { 'auth.sh': script }, 'server.conf').findings), []);
  });

  test('HS605: an unknown option (a near miss gets a fix); ignore-unknown-option silences it', () => {
    const source = `${head}«persist-tunn»\n«block-local-foo» 1\n`;
    const { findings } = project(source);
    const near = findings.find((f) => f.code === 'HS605' && f.severity === 'warning');
    assert.deepEqual(near?.fix, { kind: 'replace', with: 'persist-tun' });
    assert.equal(findings.filter((f) => f.code === 'HS605').length, 2);
    const ignored = project(`${head}ignore-unknown-option block-local-foo\nblock-local-foo 1\n`);
    assert.deepEqual(codes(ignored.findings), []);
  });

  test('HS606: an unclosed quote, at the quote', () => {
    const source = `${head}script-security 2\nup «"up.sh lab»\n`;
    assertOneAt(project(source, { 'up.sh': script }).findings, 'HS606', source);
  });

  test('HS630: a backslash before a letter, at the backslash; doubled, before a quote or in single quotes it is fine', () => {
    const source = `${head}script-security 2\nup "up.sh «\\t»emp"\n`;
    assertOneAt(project(source, { 'up.sh': script }).findings, 'HS630', source);
    const fine = `${head}script-security 2\nup "up.sh \\"x y\\""\nsetenv DIR 'C:\\temp'\n`;
    assert.deepEqual(codes(project(fine, { 'up.sh': script }).findings), []);
  });

  test('as parse_line reads a line: a comment after the command, a quote inside a word, a word after a closing quote', () => {
    const comment = `${head}script-security 2\nup up.sh # sets the routes\nsetenv GREETING it"s\n`;
    assert.deepEqual(codes(project(comment, { 'up.sh': script }).findings), []);
    // "up.sh"lab is two parameters for OpenVPN, up.sh and lab: too many for up.
    const glued = `${head}script-security 2\nup "up.sh"«lab»\n`;
    assertOneAt(project(glued, { 'up.sh': script }).findings, 'HS608', glued);
  });

  test('a leading -- is dropped as OpenVPN drops it: --up is up, wired and checked like it', () => {
    const pasted = `${head}--script-security 2\n--up up.sh\n`;
    const { findings } = project(pasted, { 'up.sh': { text: script.text, mode: 0o644 } });
    assert.deepEqual(codes(findings), ['HS602'], describe(findings));
  });

  test('HS630 inside the quoted command: OpenVPN splits it again to run it, and then runs the whole text as one program', () => {
    // 'up.sh C:\temp' passes the config's parser (single quotes), not the command's.
    const source = `${head}script-security 2\nup 'up.sh C:«\\temp»'\n`;
    const [f] = project(source, { 'up.sh': script }).findings;
    assertOneAt([f], 'HS630', source);
    assert.match(f.message, /runs the whole text "up\.sh C:\\temp" as one program/);
  });

  test('bad input: CRLF, a BOM, inline blocks with directive-like lines, an unclosed block, a binary file', () => {
    const crlf = `\uFEFF${head}script-security 2\r\nup up.sh\r\n<ca>\r\nup /not/a/directive\r\n</ca>\r\n`
      .replace(/\n/g, '\r\n')
      .replace(/\r\r/g, '\r');
    assert.deepEqual(codes(project(crlf, { 'up.sh': script }).findings), []);
    const unclosed = `${head}«<key>\nsecret\n»`;
    assertOneAt(project(unclosed).findings, 'HS500', unclosed);
    const dir = path.join(root, 'bin');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'x.ovpn');
    const match = configTypeOf(file, '');
    assert.ok(match);
    assert.deepEqual(codes(lintAndWire(match, file, 'client\0\0\0', { roots: [dir], serverPaths: {} }).findings), ['HS501']);
  });
});

test('HS608 on a script with a long run of blanks before its extra words costs the same per character at 32 KB as at 2 KB', () => {
  // Its message splits the command at the blanks before via-: each blank of a long run began a scan to the run's end (quadratic).
  const source = (size: number) =>
    `server 10.8.0.0 255.255.255.0\ndev tun\nscript-security 2\nauth-user-pass-verify auth.sh${' '.repeat(size)}x via-env\n`;
  const { dir } = project(source(10), { 'auth.sh': script }, 'server.conf');
  const file = path.join(dir, 'server.conf');
  const lint = (size: number) =>
    lintAndWire(configTypeOf(file, source(10))!, file, source(size), { roots: [dir], serverPaths: {} }).findings;
  const extra = lint(32_000).find((f) => f.code === 'HS608');
  assert.match(extra?.message ?? '', new RegExp(`auth-user-pass-verify "auth.sh {32000}x"`));
  const growth = costGrowth(lint, 2_000, 32_000, 4_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});

suite('OpenVPN <connection> blocks', () => {
  /** The findings with their marked spans, in order, as [code, text under the range]. */
  const at = (findings: readonly Finding[], text: string) => findings.map((f) => [f.code, text.slice(f.start, f.end)]);

  test('connection options and one remote per block: nothing; the script directives around them still count', () => {
    const source =
      'client\ndev tun\nscript-security 2\nup up.sh\n<connection>\nremote vpn1.example.com 1194 udp\nconnect-retry 5\n</connection>\n' +
      '<connection>\n  remote vpn2.example.com 443 tcp-client\n  http-proxy proxy.example.com 8080\n</connection>\n';
    const { findings } = project(source, { 'up.sh': script }, 'client.ovpn');
    assert.deepEqual(codes(findings), [], describe(findings));
  });

  test('HS627: a script directive (or user, script-security) inside a block, at its name; OpenVPN would not start', () => {
    const source =
      'client\ndev tun\nscript-security 2\n<connection>\r\nremote vpn1.example.com 1194\r\n' +
      '  «up» up.sh\r\n«user» nobody\r\n</connection>\n';
    const { findings } = project(source, { 'up.sh': script }, 'client.ovpn');
    const text = marked(source).text;
    assert.deepEqual(at(findings, text), [
      ['HS627', 'up'],
      ['HS627', 'user'],
    ]);
    assert.equal(findings[0].severity, 'error');
    assert.match(findings[0].message, /option 'up' cannot be used in this context \(\[CONNECTION-OPTIONS\]\).*move it above the block/);
    assert.deepEqual(codes(project(source.replace('  «up» up.sh\r\n', ''), {}, 'x.ovpn').findings), ['HS627']);
  });

  test('an unknown option inside a block is HS605 with its guess, at its exact place', () => {
    const source = 'client\n<connection>\nremote vpn.example.com\n«connect-retyr» 5\n</connection>\n';
    const f = assertOneAt(project(source, {}, 'client.ovpn').findings, 'HS605', source);
    assert.match(f.message, /did you mean connect-retry\?/);
  });

  test('HS628: a block with no remote (at its opening tag) or with two (at the second)', () => {
    const none = 'client\n«<connection>»\nproto udp\n</connection>\n';
    const f = assertOneAt(project(none, {}, 'client.ovpn').findings, 'HS628', none);
    assert.match(f.message, /Each 'connection' block must contain exactly one 'remote' directive/);
    const two = 'client\n<connection>\nremote a.example.com\n«remote» b.example.com\n</connection>\n';
    assertOneAt(project(two, {}, 'client.ovpn').findings, 'HS628', two);
  });

  test('HS629: remote with a bad port, protocol or extra words, inside a block or not; port and proto alike', () => {
    const source =
      'client\nremote vpn.example.com «70000»\n<connection>\nremote vpn.example.com 1194 «tcp-clinet»\nport «0x50»\n</connection>\n' +
      'remote vpn2.example.com 1194 udp «extra words»\nproto «sctp»\n';
    const { findings } = project(source, {}, 'client.ovpn');
    const text = marked(source).text;
    assert.deepEqual(
      at(findings, text).sort((a, b) => text.indexOf(a[1]) - text.indexOf(b[1])),
      [
        ['HS629', '70000'],
        ['HS629', 'tcp-clinet'],
        ['HS629', '0x50'],
        ['HS629', 'extra words'],
        ['HS629', 'sctp'],
      ],
    );
    assert.match(findings.find((f) => text.slice(f.start, f.end) === '70000')?.message ?? '', /1 to 65535/);
  });
});
