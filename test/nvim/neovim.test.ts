import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { installOffline, pack } from '../helpers/packed';
import { NvimDiagnostic, NvimFileResult, runNvimPlan } from './nvim';

// Neovim as a second real client (Debian's 0.7.2, headless): the installed server, started and attached
// the way a Neovim user's init.lua does it, must give the same diagnostics at the same places.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-nvim-'));
const write = (rel: string, text: string, mode = 0o644): string => {
  const file = path.join(work, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
};

// "café" puts a two-byte character before the mistake: Neovim counts bytes, the server UTF-16 units.
const profile = write(
  'vpn/profile.xml',
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">',
    '  <ClientInitialization>',
    '    <!-- café --><AutoConnectOnStart>True</AutoConnectOnStart>',
    '    <LocalLanAcess>true</LocalLanAcess>',
    '    <OnConnectScript>OnConnect_up.sh</OnConnectScript>',
    '  </ClientInitialization>',
    '</AnyConnectProfile>',
    '',
  ].join('\n'),
);
write('vpn/OnConnect_up.sh', '#!/bin/sh\nlogger up\n', 0o755);
write('shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n');
const hook = write('shorewall/start', '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\niptables -A INPUT -i tun0 -j ACCEPT\n');

const brief = (ds: NvimDiagnostic[]) => ds.map((d) => ({ code: d.code, source: d.source, lnum: d.lnum, underlined: d.underlined }));

suite('Neovim 0.7 as the client (headless)', () => {
  let results: NvimFileResult[];
  before(async () => {
    const out = await runNvimPlan({
      // As the README's recipe: the npm package's bin, here from the packed package installed offline.
      cmd: [path.join(installOffline(pack(work).tarball, path.join(work, '.global')), 'hooksmith-language-server'), '--stdio'],
      root: work,
      timeoutMs: 15_000,
      // ShellCheck off: its findings arrive after a pause in typing, which would make the lists racy.
      // The cisco dialect shows that the settings reach the server (HS212 becomes an error).
      settings: { hooksmith: { shellcheck: { enable: false }, profile: { dialect: 'cisco' } } },
      files: [
        { path: profile, expect: 'HS206', edit: { line: 3, text: '    <!-- café --><AutoConnectOnStart>true</AutoConnectOnStart>' } },
        { path: hook, expect: 'HS440', edit: { line: 2, text: '  return 1' } },
      ],
    });
    assert.equal(out.error, undefined, `the Lua driver failed: ${out.error}`);
    assert.equal(out.stopped, true, 'the server stops when Neovim asks it to');
    results = out.files;
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a broken profile is underlined at the wrong value and the unknown element', () => {
    const [r] = results;
    assert.equal(r.filetype, 'xml', 'Neovim sends the profile as xml');
    assert.ok(r.appeared, `HS206 within the deadline; got ${JSON.stringify(r.opened)}`);
    assert.deepEqual(brief(r.opened), [
      { code: 'HS206', source: 'hooksmith', lnum: 3, underlined: 'True' },
      { code: 'HS202', source: 'hooksmith', lnum: 4, underlined: 'LocalLanAcess' },
      { code: 'HS212', source: 'hooksmith', lnum: 5, underlined: 'OnConnectScript' },
    ]);
    const [value] = r.opened;
    assert.deepEqual([value.col, value.end_col], [38, 42], 'byte columns after the two-byte é');
    assert.equal(value.severity, 1, 'an error');
    assert.match(value.message, /"True" must be written "true"/);
  });

  test("the settings in the client's settings table reach the server: the cisco dialect makes HS212 an error", () => {
    const seed = results[0].opened.find((d) => d.code === 'HS212');
    assert.equal(seed?.severity, 1, JSON.stringify(seed));
    assert.match(seed.message, /dialect is "cisco"/);
  });

  test('fixing the value with nvim_buf_set_lines clears its diagnostic and keeps the other', () => {
    const [r] = results;
    assert.ok(r.cleared, `HS206 cleared after the edit; still ${JSON.stringify(r.edited)}`);
    assert.deepEqual(brief(r.edited ?? []), [
      { code: 'HS202', source: 'hooksmith', lnum: 4, underlined: 'LocalLanAcess' },
      { code: 'HS212', source: 'hooksmith', lnum: 5, underlined: 'OnConnectScript' },
    ]);
    assert.ok(r.clientRunning, 'the server is still attached');
  });

  test('a Shorewall start hook with exit gets HS440 on exit, and HS443 on iptables', () => {
    const [, r] = results;
    assert.ok(r.appeared, `HS440 within the deadline; got ${JSON.stringify(r.opened)}`);
    assert.deepEqual(brief(r.opened), [
      { code: 'HS440', source: 'hooksmith', lnum: 2, underlined: 'exit' },
      { code: 'HS443', source: 'hooksmith', lnum: 4, underlined: 'iptables' },
    ]);
  });

  test('replacing exit by return with nvim_buf_set_lines clears HS440', () => {
    const [, r] = results;
    assert.ok(r.cleared, `HS440 cleared after the edit; still ${JSON.stringify(r.edited)}`);
    assert.deepEqual(brief(r.edited ?? []), [{ code: 'HS443', source: 'hooksmith', lnum: 4, underlined: 'iptables' }]);
    assert.ok(r.clientRunning, 'the server is still attached');
  });
});
