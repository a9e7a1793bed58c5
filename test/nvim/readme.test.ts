import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { root } from '../helpers/packed';
import { runNvimDriver } from './nvim';

// The README's Neovim snippet, run as it is written (paths filled in) under Debian's Neovim 0.7.2,
// which does not announce workspaceEdit.documentChanges: its autocmd must attach the server to
// near-miss names, the files the near-miss rule is for, and the rename, create-script and create-OnDisconnect fixes
// must still be offered and work, and so must HS452's create-OnDisconnect fix.
// The bin the npm package installs as hooksmith-language-server (test/nvim/neovim.test.ts runs the packed one).
const languageServerPath = path.join(root, 'dist/languageServer.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-nvim-readme-'));
const write = (rel: string, text: string, mode = 0o644): string => {
  const file = path.join(work, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
};

/** The first Lua block of the README's Neovim section, its server command pointed at this build's. */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Neovim'));
  const block = /```lua\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has a Lua snippet under ### Neovim');
  const cmd = "cmd = { 'hooksmith-language-server', '--stdio' }";
  assert.ok(block.includes(cmd), "the snippet starts the npm package's server as the test expects");
  return block.replace(cmd, `cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(languageServerPath)}, '--stdio' }`);
}

interface Result {
  path: string;
  attached: boolean;
  appeared: boolean;
  offered: string[] | Record<string, never>;
  chosen?: string;
  made?: boolean;
}

suite("the README's Neovim set-up, in Neovim 0.7 (headless)", () => {
  const misspelt = write('vpn/OnConect_x.sh', '#!/bin/sh\nlogger up\n', 0o755);
  const profile = write(
    'vpn/profile.xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
      '<ClientInitialization>\n    <OnConnectScript>OnConnect_new.sh</OnConnectScript>\n  </ClientInitialization>\n' +
      '</AnyConnectProfile>\n',
  );
  const share = write('undo/OnConnect_share.sh', '#!/bin/bash\nmount -t cifs //fs/share /mnt/share -o user=jdoe\n', 0o755);
  let results: Result[];
  before(async () => {
    const timeoutMs = 15_000;
    const files = [
      { path: misspelt, expect: 'HS402', action: 'Rename to OnConnect_x.sh', waitFile: path.join(work, 'vpn/OnConnect_x.sh') },
      {
        path: profile,
        expect: 'HS304',
        action: 'Create OnConnect_new.sh from a template',
        waitFile: path.join(work, 'vpn/OnConnect_new.sh'),
      },
      {
        path: share,
        expect: 'HS452',
        action: 'Create OnDisconnect_share.sh with "umount /mnt/share"',
        waitFile: path.join(work, 'undo/OnDisconnect_share.sh'),
      },
    ];
    const out = await runNvimDriver<{ files: Result[]; error?: string }>(
      'readme.lua',
      { root: work, snippet: readmeSnippet(), timeoutMs, files },
      timeoutMs * 9 + 5_000,
    );
    assert.equal(out.error, undefined, `the Lua driver failed: ${out.error}`);
    results = out.files;
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test("the snippet's autocmd attaches the server to a near-miss name (OnConect_x.sh), which gets HS402", () => {
    const [r] = results;
    assert.ok(r.attached, 'the server attached to OnConect_x.sh');
    assert.ok(r.appeared, 'HS402 appeared');
  });

  test('the rename fix is offered and, chosen in Neovim, renames the file on disk', () => {
    const [r] = results;
    assert.deepEqual(r.offered, ['Rename to OnConnect_x.sh']);
    assert.ok(r.made, 'OnConnect_x.sh exists');
    assert.equal(fs.readFileSync(path.join(work, 'vpn/OnConnect_x.sh'), 'utf8'), '#!/bin/sh\nlogger up\n');
    assert.equal(fs.existsSync(misspelt), false, 'the misspelt name is gone');
  });

  test('the create-missing-script fix is offered and, chosen in Neovim, creates the script from its template, executable', () => {
    const [, r] = results;
    assert.ok(r.appeared, 'HS304 appeared on the profile');
    assert.equal(r.chosen, 'Create OnConnect_new.sh from a template', JSON.stringify(r.offered));
    assert.ok(r.made, 'OnConnect_new.sh exists');
    const created = path.join(work, 'vpn/OnConnect_new.sh');
    assert.match(fs.readFileSync(created, 'utf8'), /^#!\/bin\/sh\n/);
    assert.equal(fs.statSync(created).mode & 0o111, 0o111);
  });

  test(
    "HS452's create-OnDisconnect fix is offered and, chosen in Neovim, creates the counterpart with the undo " + 'command, executable',
    () => {
      const [, , r] = results;
      assert.ok(r.appeared, 'HS452 appeared on the mount');
      assert.equal(r.chosen, 'Create OnDisconnect_share.sh with "umount /mnt/share"', JSON.stringify(r.offered));
      assert.ok(r.made, 'OnDisconnect_share.sh exists');
      const created = path.join(work, 'undo/OnDisconnect_share.sh');
      assert.equal(fs.readFileSync(created, 'utf8'), '#!/bin/bash\n# Undoes what OnConnect_share.sh does on connect.\numount /mnt/share\n');
      assert.equal(fs.statSync(created).mode & 0o111, 0o111);
    },
  );
});
