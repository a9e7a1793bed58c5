import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { LspClient } from '../helpers/lspClient';
import { installOffline, pack, Packed, shipped } from '../helpers/packed';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-pkg-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

suite('the npm package, packed and installed as a user would', () => {
  let packed: Packed;
  let bin: string;
  before(() => {
    packed = pack(work);
    bin = installOffline(packed.tarball, path.join(work, 'consumer'));
  });

  test('holds what runs and nothing else: no sources, tests or node_modules', () => {
    assert.deepEqual(
      packed.files.filter((f) => !shipped.test(f)),
      [],
    );
    for (const f of [
      'dist/cli.js',
      'dist/server.js',
      'dist/languageServer.js',
      'dist/tree-sitter-bash.wasm',
      'LICENSE',
      'docs/rules/HS440.md',
    ])
      assert.ok(packed.files.includes(f), f);
  });

  test('its manifest is publishable: MIT, not private, no runtime dependency to fetch', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'consumer/node_modules/hooksmith/package.json'), 'utf8'));
    assert.equal(manifest.license, 'MIT');
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.dependencies, undefined);
    assert.match(manifest.engines.node, /^>=20/);
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['hooksmith', 'hooksmith-language-server']);
  });

  test('the installed `hooksmith` lints a hook (the shell parser ships with it)', () => {
    const hook = path.join(work, 'fw/shorewall/start');
    fs.mkdirSync(path.dirname(hook), { recursive: true });
    fs.writeFileSync(hook, 'run_iptables -A INPUT -j ACCEPT\nexit 1\n');
    const r = spawnSync(path.join(bin, 'hooksmith'), ['lint', 'fw'], { cwd: work, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^fw\/shorewall\/start:2:1: error HS440 /);
  });

  for (const args of [['--stdio'], []]) {
    test(
      `the installed \`hooksmith-language-server${args.length ? ' ' + args.join(' ') : ''}\` answers initialize and ` +
        `publishes a hook's diagnostics over stdio`,
      async () => {
        const client = await LspClient.start(undefined, undefined, true, {
          command: [path.join(bin, 'hooksmith-language-server'), ...args],
        });
        try {
          assert.equal(client.initializeResult?.serverInfo?.name, 'hooksmith');
          const uri = pathToFileURL(path.join(work, 'fw/shorewall/start')).toString();
          const published = client.diagnostics(uri, (d) => d.length > 0);
          await client.open(uri, 'exit 1\n', 1, 'shellscript');
          assert.deepEqual(
            (await published).diagnostics.map((d) => d.code),
            ['HS440'],
          );
        } finally {
          await client.stop();
        }
      },
    );
  }
});
