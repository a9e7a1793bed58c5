import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { configTypeOf, lintAndWire } from '../../server/src/config/configDocs';
import { wiring } from '../../server/src/config/wiring';
import { openvpn } from '../../server/src/families/openvpn';
import { hookOf, OpenvpnEvent } from '../../server/src/families/openvpn/hooks';
import { lintHook } from '../../server/src/hooks/lintHook';
import { lintProfile } from '../../server/src/profile/lint';
import { describe } from '../helpers/findings';
import { needsShellParser } from '../helpers/hooks';
import { expandSnippet, readSnippets, root, Snippet } from '../helpers/snippets';

needsShellParser();

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributed: { language: string; path: string }[] = pkg.contributes.snippets;
const byPrefix = (file: string): Map<string, Snippet> => new Map(readSnippets(file).map((s) => [s.prefix, s]));
const shell = byPrefix('snippets/shellscript.json');
const expand = (s: Snippet | undefined): string => {
  assert.ok(s, 'snippet exists');
  return expandSnippet(s.body);
};

suite('snippet files', () => {
  test('each authoring language has a snippet file', () => {
    assert.deepEqual(contributed.map((c) => c.language).sort(), [
      'anyconnect-profile',
      'bat',
      'ini',
      'perl',
      'powershell',
      'properties',
      'shellscript',
      'vb',
    ]);
  });

  test('every file is valid JSON, every snippet has a description, prefixes are unique per language', () => {
    const seen = new Map<string, Set<string>>();
    for (const c of contributed) {
      const json = JSON.parse(fs.readFileSync(path.join(root, c.path), 'utf8')) as Record<string, { description?: string }>;
      for (const [title, s] of Object.entries(json)) assert.ok(s.description, `${c.path}: ${title} has a description`);
      const prefixes = seen.get(c.language) ?? new Set<string>();
      for (const s of readSnippets(c.path)) {
        assert.ok(!prefixes.has(s.prefix), `${c.language}: prefix ${s.prefix} is used twice`);
        prefixes.add(s.prefix);
      }
      seen.set(c.language, prefixes);
    }
  });

  test('every snippet expands: no shell $VAR left unescaped for VS Code to swallow', () => {
    for (const c of contributed) {
      for (const s of readSnippets(c.path)) assert.doesNotThrow(() => expandSnippet(s.body), `${c.path}: ${s.prefix}`);
    }
  });

  test('UNC paths come out with their backslashes', () => {
    assert.equal(expand(byPrefix('snippets/bat.json').get('net-use')), 'net use Z: \\\\server\\share /persistent:no');
    assert.match(
      expand(byPrefix('snippets/vb.json').get('hook-onconnect')),
      /objShell\.Run "net use Z: \\\\server\\share \/persistent:no", 0, True/,
    );
  });
});

suite('snippet expander', () => {
  test('defaults, nested placeholders, mirrors before their placeholder, choices, escapes, TM_ variables', () => {
    assert.equal(expandSnippet('a $1 ${1:x${2:y}} ${2} ${3|p\\,q,r|} \\$HOME \\\\ $0'), 'a xy xy y p,q $HOME \\ ');
    assert.equal(expandSnippet('${TM_FILENAME_BASE:hook} $TM_FILENAME', { TM_FILENAME: 'OnConnect_x.sh' }), 'hook OnConnect_x.sh');
    assert.throws(() => expandSnippet('echo $CISCO_VPN_IP'), /CISCO_VPN_IP is not a snippet variable/);
  });
});

/** `sh -n` (bash -n for a bash script) on the expanded text: a syntax error fails with the shell's message. */
function assertParses(name: string, text: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-snippet-'));
  const file = path.join(dir, 'snippet.sh');
  fs.writeFileSync(file, text);
  const shellName = /^#!.*\bbash\b/.test(text) ? 'bash' : 'sh';
  const r = spawnSync(shellName, ['-n', file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, `${name} (${shellName} -n): ${r.stderr}\n${text}`);
}

suite('shell snippets', () => {
  test('every shell snippet, expanded with its defaults, passes sh -n', () => {
    for (const s of shell.values()) assertParses(s.prefix, expandSnippet(s.body));
  });

  for (const os of ['linux', 'macos']) {
    test(`the ${os} OnConnect / OnDisconnect pair lints clean: every change is undone`, () => {
      const connect = expand(shell.get(`hook-onconnect-${os}`));
      const disconnect = expand(shell.get(`hook-ondisconnect-${os}`));
      const folder: Record<string, string> = { 'OnConnect_corp.sh': connect, 'OnDisconnect_corp.sh': disconnect };
      for (const [name, text] of Object.entries(folder)) {
        const file = {
          path: `/opt/cisco/secureclient/vpn/script/${name}`,
          text,
          mode: 0o755,
          siblings: Object.keys(folder),
          readSibling: (n: string) => folder[n],
        };
        const result = lintHook(file);
        assert.equal(result?.recognized.hook.name, name.split('_')[0]);
        assert.deepEqual(result?.findings, [], `${name}: ${describe(result?.findings ?? [])}`);
      }
    });
  }

  test('the Shorewall snippets lint clean as the hooks they are', () => {
    const cases: [string, string][] = [
      ['isusable', expand(shell.get('shorewall-isusable'))],
      ['start', expand(shell.get('shorewall-start'))],
      ['init', `${expand(shell.get('shorewall-command'))}\n${expand(shell.get('run_iptables'))}\n`],
      ['compile', expand(byPrefix('snippets/perl.json').get('shorewall-compile'))],
      ['initdone', expand(byPrefix('snippets/perl.json').get('shorewall-initdone'))],
    ];
    for (const [name, text] of cases) {
      const file = { path: `/etc/shorewall/${name}`, text, mode: 0o644, siblings: [name, 'shorewall.conf'], readSibling: () => undefined };
      const result = lintHook(file);
      assert.equal(result?.recognized.hook.name, name);
      assert.deepEqual(result?.findings, [], `${name}: ${describe(result?.findings ?? [])}`);
    }
  });

  test('the NetworkManager dispatcher script lints clean in dispatcher.d: it reads the action and undoes its vpn-up route', () => {
    const text = expand(shell.get('nm-dispatcher'));
    const file = { path: '/etc/NetworkManager/dispatcher.d/90-corp-vpn', text, mode: 0o755, siblings: ['90-corp-vpn'] };
    const result = lintHook({ ...file, readSibling: () => undefined });
    assert.equal(result?.recognized.family.id, 'nm-dispatcher');
    assert.deepEqual(result?.findings, [], describe(result?.findings ?? []));
  });

  test('the OpenVPN snippets lint clean as the scripts a config wires them as', () => {
    const config = '/etc/openvpn/server.conf';
    const cases: [string, OpenvpnEvent[]][] = [
      ['openvpn-updown', ['up', 'down']],
      ['openvpn-learn-address', ['learn-address']],
    ];
    try {
      for (const [prefix, events] of cases) {
        const file = `/etc/openvpn/${prefix}.sh`;
        const wired = events.map((key) => ({ family: openvpn, hook: hookOf(key), config, key, serverPath: path.basename(file), file }));
        wiring.set(config, wired);
        const result = lintHook(
          { path: file, text: expand(shell.get(prefix)), mode: 0o755, siblings: [], readSibling: () => undefined },
          {},
        );
        assert.deepEqual(result?.recognized.hook.runBy, events);
        assert.deepEqual(result?.findings, [], `${prefix}: ${describe(result?.findings ?? [])}`);
      }
    } finally {
      wiring.clear();
    }
  });

  test('the vpnc-script wrapper and a connect.d / disconnect.d pair lint clean as what they are', () => {
    const wrapper = expand(shell.get('vpnc-wrapper'));
    const linted = lintHook({
      path: '/etc/openconnect/vpnc-script-split',
      text: wrapper,
      mode: 0o755,
      siblings: ['vpnc-script-split'],
      readSibling: () => undefined,
    });
    assert.equal(linted?.recognized.hook.name, 'vpnc-script');
    assert.deepEqual(linted?.findings, [], describe(linted?.findings ?? []));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-snippet-vpnc-'));
    try {
      const hook = shell.get('vpnc-hook');
      const connect = expand(hook);
      const disconnect = connect.replace('iptables -I', 'iptables -D');
      const pair = [
        ['connect.d', connect],
        ['disconnect.d', disconnect],
      ];
      for (const [folder, text] of pair) {
        fs.mkdirSync(path.join(dir, 'vpnc', folder), { recursive: true });
        fs.writeFileSync(path.join(dir, 'vpnc', folder, '50-block-lan'), text);
      }
      for (const [folder, text] of pair) {
        const file = path.join(dir, 'vpnc', folder, '50-block-lan');
        const result = lintHook({ path: file, text, mode: 0o644, siblings: ['50-block-lan'], readSibling: () => undefined });
        assert.equal(result?.recognized.hook.name, folder);
        assert.deepEqual(result?.findings, [], `${folder}: ${describe(result?.findings ?? [])}`);
      }
      assert.match(connect, /return 0/, 'return, not exit');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the ocserv pairs (iptables, ipset) lint clean as the connect, disconnect and host-update script of an ocserv.conf', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-snippet-ocserv-'));
    try {
      for (const prefix of ['ocserv-iptables', 'ocserv-ipset']) {
        const text = expand(shell.get(prefix));
        const script = path.join(dir, prefix);
        fs.writeFileSync(script, text, { mode: 0o755 });
        const config = path.join(dir, 'ocserv.conf');
        const keys = ['connect-script', 'disconnect-script', 'host-update-script'].map((k) => `${k} = /etc/ocserv/${prefix}\n`);
        const conf = `auth = plain\ntcp-port = 443\n${keys.join('')}`;
        fs.writeFileSync(config, conf);
        const wired = lintAndWire(configTypeOf(config, conf)!, config, conf, { roots: [dir], serverPaths: {} });
        assert.deepEqual(wired.findings, [], describe(wired.findings));
        const result = lintHook({ path: script, text, mode: 0o755, siblings: [prefix, 'ocserv.conf'], readSibling: () => undefined });
        assert.equal(result?.recognized.hook.name, 'connect-script + disconnect-script + host-update-script');
        assert.deepEqual(result?.findings, [], `${prefix}: ${describe(result?.findings ?? [])}`);
        wiring.clear();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('isusable decides for unlisted interfaces in its *) branch', () => {
    assert.match(expand(shell.get('shorewall-isusable')), /case \$1 in[\s\S]*\*\)\s+return 0/);
  });
});

suite('profile snippets', () => {
  const profile = byPrefix('snippets/anyconnect-profile.json');
  const skeleton = expand(profile.get('acprofile'));

  test('the skeleton is a valid profile with the namespace', () => {
    assert.match(skeleton, /xmlns="http:\/\/schemas\.xmlsoap\.org\/encoding\/"/);
    assert.deepEqual(lintProfile(skeleton), []);
  });

  test('EnableScripting, ServerList and the seed block are valid where they go', () => {
    const ci = (inner: string) =>
      `<AnyConnectProfile ` +
      `xmlns="http://schemas.xmlsoap.org/encoding/"><ClientInitialization>${inner}</ClientInitialization></AnyConnectProfile>`;
    assert.deepEqual(lintProfile(ci(expand(profile.get('enablescripting')))), []);
    assert.deepEqual(lintProfile(ci(expand(profile.get('onconnectscript'))), { dialect: 'seed', maxSize: 1e6 }), []);
    const servers =
      `<AnyConnectProfile ` + `xmlns="http://schemas.xmlsoap.org/encoding/">${expand(profile.get('serverlist'))}</AnyConnectProfile>`;
    assert.deepEqual(lintProfile(servers), []);
    const second = servers.replace('</ServerList>', `${expand(profile.get('hostentry'))}</ServerList>`);
    assert.deepEqual(lintProfile(second), []);
  });
});
