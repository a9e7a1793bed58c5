import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { append } from '../../../server/src/append';
import { HookReport, scanHooks } from '../../../server/src/workspace/scan';
import { needsShellParser } from '../../helpers/hooks';

needsShellParser();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-scan-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Creates the files (path → text, mode 0755 unless given) in a new folder and returns it. */
function tree(name: string, files: Readonly<Record<string, string | [string, number]>>): string {
  const root = path.join(work, name);
  for (const [file, spec] of Object.entries(files)) {
    const [text, mode] = typeof spec === 'string' ? [spec, 0o755] : spec;
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    fs.chmodSync(full, mode);
  }
  return root;
}

/** file (relative, with /) → the codes of its findings, for every hook the scan reported. */
async function scan(root: string, options?: Parameters<typeof scanHooks>[2]): Promise<Record<string, string[]>> {
  const reports: HookReport[] = [];
  await scanHooks(root, (_, found) => void append(reports, found), options);
  return Object.fromEntries(reports.map((r) => [path.relative(root, r.file).split(path.sep).join('/'), r.findings.map((f) => f.code)]));
}

const sh = '#!/bin/sh\nlogger "VPN up"\n';

suite('workspace scan for hooks', () => {
  test('reports every recognised hook with its naming and file findings', async () => {
    const root = tree('mixed', {
      'vpn/onconnect_routes.sh': sh,
      'vpn/OnDisconect_routes.sh': sh,
      'vpn/README.md': '# VPN\n',
      'ok/OnConnect_ok.sh': sh,
      'noexec/OnConnect_x.sh': [sh, 0o644],
      'etc/shorewall/Started': ['logger started\n', 0o644],
      'etc/shorewall/rules': ['ACCEPT all all\n', 0o644],
      'src/app.ts': 'export {};\n',
    });
    assert.deepEqual(await scan(root), {
      'etc/shorewall/Started': ['HS420'],
      'noexec/OnConnect_x.sh': ['HS405'],
      'ok/OnConnect_ok.sh': [],
      'vpn/OnDisconect_routes.sh': ['HS402'],
      'vpn/onconnect_routes.sh': ['HS401'],
    });
  });

  test('only file-level findings: content findings wait until the file is opened', async () => {
    const root = tree('content', {
      'shorewall/start': ['exit 0\n', 0o644],
      'script/OnConnect_env.sh': '#!/bin/sh\necho "$CISCO_VPN_NOPE"\nexit (\n',
    });
    assert.deepEqual(await scan(root), { 'shorewall/start': [], 'script/OnConnect_env.sh': [] });
  });

  test('siblings matter: two OnConnect* in one folder are both reported (HS404)', async () => {
    const root = tree('siblings', { 'script/OnConnect_a.sh': sh, 'script/OnConnect_b.sh': sh });
    assert.deepEqual(await scan(root), { 'script/OnConnect_a.sh': ['HS404'], 'script/OnConnect_b.sh': ['HS404'] });
  });

  test('node_modules, hidden and .gitignore-named folders are not scanned', async () => {
    const root = tree('skipped', {
      '.gitignore': 'build/\n',
      'node_modules/vpn/onconnect.js': sh,
      '.git/OnConnect_x': sh,
      '.hidden/onconnect.sh': sh,
      'build/onconnect.sh': sh,
      'kept/onconnect.sh': sh,
    });
    assert.deepEqual(Object.keys(await scan(root)), ['kept/onconnect.sh']);
  });

  test('family mappings make hooks of files kept elsewhere', async () => {
    const root = tree('mapped', { 'deploy/fw/stoped': ['logger x\n', 0o644] });
    assert.deepEqual(await scan(root), {});
    assert.deepEqual(await scan(root, { mappings: { '**/deploy/fw': 'shorewall' } }), { 'deploy/fw/stoped': ['HS420'] });
  });
});
