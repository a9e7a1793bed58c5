import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, describe as suite, test } from 'node:test';
import { configTypeOf, lintAndWire } from '../../../../server/src/config/configDocs';
import { wiring } from '../../../../server/src/config/wiring';
import { Finding } from '../../../../server/src/diagnostics';
import { recognizeHook } from '../../../../server/src/families/registry';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { marked } from '../../../helpers/marked';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocserv-config-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => wiring.clear());

let n = 0;
/** A project folder with ocserv.conf (marked source) and the files given; answers the config's findings. */
function project(
  source: string,
  files: Record<string, { text: string; mode?: number }> = {},
  serverPaths: Record<string, string> = {},
): { findings: Finding[]; dir: string } {
  const dir = path.join(root, `p${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, f] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), f.text, { mode: f.mode ?? 0o755 });
  }
  const file = path.join(dir, 'ocserv.conf');
  const text = marked(source).text;
  fs.writeFileSync(file, text);
  const match = configTypeOf(file, text);
  assert.ok(match, 'recognised as ocserv.conf');
  return { findings: lintAndWire(match, file, text, { roots: [dir], serverPaths }).findings, dir };
}

const script = { text: '#!/bin/sh\nexit 0\n' };

suite('ocserv.conf recognition', () => {
  test('by its name, or by keys only ocserv has', () => {
    assert.ok(configTypeOf('/x/ocserv.conf', ''));
    assert.ok(configTypeOf('/x/ocserv-office.conf', ''));
    assert.ok(configTypeOf('/x/server.conf', 'connect-script = /etc/ocserv/c.sh\n'));
    assert.ok(configTypeOf('/x/vpn.conf', 'auth = "plain[passwd=/etc/ocserv/passwd]"\ntcp-port = 443\nudp-port = 443\n'));
    assert.equal(configTypeOf('/x/server.conf', 'port 1194\nproto udp\n'), undefined);
    assert.equal(configTypeOf('/etc/shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n'), undefined);
  });
});

suite('ocserv.conf rules', () => {
  test('a correct config raises nothing, and wires its scripts found beside it', () => {
    const { findings, dir } = project(
      'auth = plain\nconnect-script = /etc/ocserv/connect.sh\ndisconnect-script = /etc/ocserv/disconnect.sh\n',
      { 'connect.sh': script, 'disconnect.sh': script },
    );
    assert.deepEqual(codes(findings), [], describe(findings));
    assert.deepEqual(recognizeHook(path.join(dir, 'connect.sh'), [])?.hook.name, 'connect-script');
  });

  test('HS500 and HS510: a line without "=", an unknown key (a near miss gets a fix)', () => {
    const source = '«tcp-port 443»\n«conect-script» = /etc/ocserv/c.sh\n';
    const { findings } = project(source);
    assertOneAt(findings, 'HS500', source, 0);
    const f = assertOneAt(findings, 'HS510', source, 1);
    assert.deepEqual(f.fix, { kind: 'replace', with: 'connect-script' });
    assert.equal(f.severity, 'warning');
  });

  test('HS502: a relative script path', () => {
    const source = 'connect-script = «scripts/connect.sh»\n';
    assertOneAt(project(source).findings, 'HS502', source);
  });

  test('HS503: a script key inside [vhost:...] is ignored by ocserv, and wires nothing', () => {
    const source = 'auth = plain\n[vhost:vpn.example.org]\n«connect-script» = /etc/ocserv/connect.sh\n';
    const { findings, dir } = project(source, { 'connect.sh': script });
    assertOneAt(findings, 'HS503', source);
    assert.equal(recognizeHook(path.join(dir, 'connect.sh'), []), undefined);
  });

  test('HS504: not in the workspace; found through hooksmith.hooks.serverPaths once mapped', () => {
    const source = 'connect-script = «/usr/local/lib/vpn/up»\n';
    assert.match(assertOneAt(project(source).findings, 'HS504', source).message, /hooksmith\.hooks\.serverPaths/);
    const mapped = project(source, { 'deploy/vpn/up': script }, { '/usr/local/lib/vpn': 'deploy/vpn' });
    assert.deepEqual(codes(mapped.findings), []);
    assert.equal(recognizeHook(path.join(mapped.dir, 'deploy/vpn/up'), [])?.family.id, 'ocserv');
  });

  test('found by its path under the workspace folder (a repository mirroring /etc)', () => {
    const { findings, dir } = project('connect-script = /etc/ocserv/up.sh\n', { 'etc/ocserv/up.sh': script });
    assert.deepEqual(codes(findings), []);
    assert.equal(recognizeHook(path.join(dir, 'etc/ocserv/up.sh'), [])?.hook.name, 'connect-script');
  });

  test('HS505: the script found is not executable', () => {
    const source = 'connect-script = «/etc/ocserv/connect.sh»\n';
    assert.match(
      assertOneAt(project(source, { 'connect.sh': { text: '#!/bin/sh\n', mode: 0o644 } }).findings, 'HS505', source).message,
      /every login is refused/,
    );
  });

  test("HS505 with restrictions: ocserv-fw runs connect-script with /bin/sh (no execute bit needed), host-update-script is exec'd", () => {
    const source =
      'restrict-user-to-ports = "tcp(443), udp(53)"\nconnect-script = /etc/ocserv/connect.sh\n' +
      'host-update-script = «/etc/ocserv/update.sh»\n';
    const files = { 'connect.sh': { text: '#!/bin/sh\n', mode: 0o644 }, 'update.sh': { text: '#!/bin/sh\n', mode: 0o644 } };
    const found = project(source, files).findings;
    assertOneAt(found, 'HS505', source);
    assert.match(
      found.find((f) => f.code === 'HS508')?.message ?? '',
      /instead of your connect and disconnect scripts[\s\S]*host-update-script is still exec'd directly/,
    );
  });

  test('HS506 and HS507: user-profile missing; a profile with problems links to them', () => {
    const missing = 'user-profile = «nowhere.xml»\n';
    assertOneAt(project(missing).findings, 'HS506', missing);
    const source = 'user-profile = «profile.xml»\n';
    const bad =
      '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
      '<ClientInitialization>\n    <AutoUpdate>maybe</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n';
    const { findings, dir } = project(source, { 'profile.xml': { text: bad, mode: 0o644 } });
    const f = assertOneAt(findings, 'HS507', source);
    assert.ok(f.related?.length, 'related locations');
    assert.equal(f.related![0].file, path.join(dir, 'profile.xml'));
    assert.equal(f.related![0].line, 3);
  });

  test('HS508: restrictions (a note at the key), HS509: a section ocserv does not know', () => {
    const source = '«restrict-user-to-routes» = true\n«[global]»\ntcp-port = 443\n';
    const { findings } = project(source);
    assertOneAt(findings, 'HS508', source, 0);
    assertOneAt(findings, 'HS509', source, 1);
  });

  test('HS508 for restrict-user-to-ports only when it lists ports as ocserv reads them (its value is a list, not true)', () => {
    const allow = '«restrict-user-to-ports» = "tcp(443), tcp(80), udp(443), sctp(99), icmp(), icmpv6()"\n';
    assertOneAt(project(allow).findings, 'HS508', allow);
    const deny = '«restrict-user-to-ports» = "!(tcp(25), udp(53))"\n';
    assertOneAt(project(deny).findings, 'HS508', deny);
    // The scripts of such a config are wired as run by ocserv-fw (ShellCheck -s sh, HS527).
    const { dir } = project('restrict-user-to-ports = "tcp(443)"\nconnect-script = /etc/ocserv/up.sh\n', { 'up.sh': script });
    assert.equal(wiring.wiredTo(path.join(dir, 'up.sh'))?.[0]?.facts?.restricted, true);
  });

  test('HS511: a restrict-user-to-ports ocserv cannot parse stops ocserv; the finding starts where its parse fails', () => {
    const truthy = 'restrict-user-to-ports = «true»\n';
    const found = project(truthy).findings;
    assertOneAt(found, 'HS511', truthy);
    assert.ok(!codes(found).includes('HS508'), 'ocserv never starts, so no note on ocserv-fw');
    assert.match(found[0].message, /stops at start/);
    const unclosed = 'restrict-user-to-ports = "tcp(443), «udp 53»"\n';
    assertOneAt(project(unclosed).findings, 'HS511', unclosed);
    const noBracket = 'restrict-user-to-ports = "!«tcp(25)»"\n';
    assertOneAt(project(noBracket).findings, 'HS511', noBracket);
    assert.deepEqual(codes(project('restrict-user-to-ports = ""\n').findings), []);
  });

  test('HS501: binary content is not read as a config', () => {
    const dir = path.join(root, 'bin');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'ocserv.conf');
    const text = 'auth = x\n\0\0\0';
    const found = lintAndWire(configTypeOf(file, '')!, file, text, { roots: [dir], serverPaths: {} }).findings;
    assert.deepEqual(codes(found), ['HS501']);
  });
});
