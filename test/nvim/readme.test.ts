import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { installOffline, pack } from '../helpers/packed';
import { readmeBlock } from '../helpers/readmeBlock';
import { editorBin } from '../helpers/editors';
import { runNvimDriver } from './nvim';

// The README's Neovim snippets, each run as it is written in the Neovim it is for:
// 0.7's `vim.lsp.start_client` in Debian 12's Neovim 0.7.2, 0.10's `vim.lsp.start` in Debian trixie's
// 0.10.4 and 0.11's `vim.lsp.config` in Debian sid's 0.12.4 (both unpacked by scripts/ensure-editors.mjs).
// None of them announces workspaceEdit.documentChanges: the snippet must attach the server to
// near-miss names, the files the near-miss rule is for, and the rename, create-script and
// HS452's create-OnDisconnect fixes must still be offered and work.
// Each snippet runs as written: its command, hooksmith-language-server, is the bin of the npm package,
// packed from this build and installed offline (once for the three), found on Neovim's PATH.
const packedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-nvim-packed-'));
let packedBin: string | undefined;
after(() => fs.rmSync(packedRoot, { recursive: true, force: true }));

/** PATH with the installed package's bin folder first, and the node this test runs on for its #! line. */
function pathWithPackage(): string {
  packedBin ??= installOffline(pack(packedRoot).tarball, path.join(packedRoot, 'global'));
  return [packedBin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
}

/** The Lua block of the README's Neovim section that contains `marker`, as it is written. */
function readmeSnippet(marker: string): string {
  const block = readmeBlock('Neovim', 'lua', marker);
  assert.ok(block.includes("cmd = { 'hooksmith-language-server', '--stdio' }"), "the snippet starts the npm package's server");
  return block;
}

interface Result {
  path: string;
  attached: boolean;
  appeared: boolean;
  offered: string[] | Record<string, never>;
  chosen?: string;
  made?: boolean;
  /** The file the fix made is the current buffer afterwards (window/showDocument; not in 0.7). */
  shown?: boolean;
}

function readmeSuite(form: string, marker: string, nvim: string, version: string): void {
  suite(`the README's Neovim set-up with ${form}, in Neovim ${version} (headless)`, () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-nvim-readme-'));
    const write = (rel: string, text: string, mode = 0o644): string => {
      const file = path.join(work, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text, { mode });
      return file;
    };
    fs.mkdirSync(path.join(work, '.git')); // the root marker of the 0.10 and 0.11 forms, as in a user's clone
    const misspelt = write('vpn/OnConect_x.sh', '#!/bin/sh\nlogger up\n', 0o755);
    const profile = write(
      'vpn/profile.xml',
      '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
        '<ClientInitialization>\n    <OnConnectScript>OnConnect_new.sh</OnConnectScript>\n  </ClientInitialization>\n' +
        '</AnyConnectProfile>\n',
    );
    write('fw/shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n');
    const shorewallStart = write('fw/shorewall/start', '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\n');
    const share = write('undo/OnConnect_share.sh', '#!/bin/bash\nmount -t cifs //fs/share /mnt/share -o user=jdoe\n', 0o755);
    // Run once, on the first test's demand: if it fails, every test fails with its reason (a failed
    // before() would only cancel them, and a cancelled test is not counted as failed).
    let run: Promise<Result[]> | undefined;
    const runOnce = async (): Promise<Result[]> => {
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
        { path: shorewallStart, expect: 'HS440' },
      ];
      const out = await runNvimDriver<{ nvim: string; files: Result[]; error?: string }>(
        'readme.lua',
        { root: work, snippet: readmeSnippet(marker), timeoutMs, files },
        timeoutMs * 9 + 5_000,
        nvim,
        pathWithPackage(),
      );
      assert.equal(out.error, undefined, `the Lua driver failed: ${out.error}`);
      assert.ok(out.nvim.startsWith(`${version}.`), `Neovim ${out.nvim} is the ${version} the test is for`);
      return out.files;
    };
    const resultsOf = (): Promise<Result[]> => (run ??= runOnce());
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    test("the snippet's autocmd attaches the server to a near-miss name (OnConect_x.sh), which gets HS402", async () => {
      const results = await resultsOf();
      const [r] = results;
      assert.ok(r.attached, 'the server attached to OnConect_x.sh');
      assert.ok(r.appeared, 'HS402 appeared');
    });

    test('the rename fix is offered and, chosen in Neovim, renames the file on disk', async () => {
      const results = await resultsOf();
      const [r] = results;
      assert.deepEqual(r.offered, ['Rename to OnConnect_x.sh']);
      assert.ok(r.made, 'OnConnect_x.sh exists');
      assert.equal(fs.readFileSync(path.join(work, 'vpn/OnConnect_x.sh'), 'utf8'), '#!/bin/sh\nlogger up\n');
      assert.equal(fs.existsSync(misspelt), false, 'the misspelt name is gone');
    });

    test('the create-missing-script fix is offered and, chosen in Neovim, creates the script from its template, executable', async () => {
      const results = await resultsOf();
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
      async () => {
        const results = await resultsOf();
        const [, , r] = results;
        assert.ok(r.appeared, 'HS452 appeared on the mount');
        assert.equal(r.chosen, 'Create OnDisconnect_share.sh with "umount /mnt/share"', JSON.stringify(r.offered));
        assert.ok(r.made, 'OnDisconnect_share.sh exists');
        const created = path.join(work, 'undo/OnDisconnect_share.sh');
        assert.equal(
          fs.readFileSync(created, 'utf8'),
          '#!/bin/bash\n# Undoes what OnConnect_share.sh does on connect.\numount /mnt/share\n',
        );
        assert.equal(fs.statSync(created).mode & 0o111, 0o111);
      },
    );

    test('a Shorewall hook, with no extension and no #! line (shorewall/start), is attached too and gets HS440', async () => {
      const [, , , r] = await resultsOf();
      assert.ok(r.attached, 'the server attached to shorewall/start');
      assert.ok(r.appeared, 'HS440 appeared');
    });

    if (version !== '0.7') {
      test('Neovim opens the file each fix made, as the server asks (window/showDocument)', async () => {
        const results = await resultsOf();
        assert.deepEqual(
          results.map((r) => [path.basename(r.path), r.shown]),
          [
            ['OnConect_x.sh', true],
            ['profile.xml', true],
            ['OnConnect_share.sh', true],
            ['start', undefined],
          ],
        );
      });
    }
  });
}

readmeSuite('vim.lsp.start_client (0.7)', 'vim.lsp.start_client(', 'nvim', '0.7');
readmeSuite('vim.lsp.start (0.10)', 'vim.lsp.start({', editorBin('nvim-0.10'), '0.10');
readmeSuite('vim.lsp.config (0.11+)', "vim.lsp.config('hooksmith'", editorBin('nvim-0.12'), '0.12');
