import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { shipped } from '../helpers/packed';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('activation is on the profile language (and XML, to recognise profiles by content), never *', () => {
  assert.ok(pkg.activationEvents.includes('onLanguage:anyconnect-profile'));
  assert.ok(!pkg.activationEvents.some((e: string) => e === '*' || e === 'onStartupFinished'));
});

test('untrusted workspaces are limited and virtual workspaces unsupported', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(pkg.capabilities.virtualWorkspaces, false);
});

test('every command has a category and a title', () => {
  for (const c of pkg.contributes.commands) {
    assert.equal(c.category, 'Hooksmith', c.command);
    assert.ok(c.title && c.command.startsWith('hooksmith.'), c.command);
  }
});

test('the profile language has a first-line match for its root element', () => {
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'anyconnect-profile');
  const firstLine = new RegExp(lang.firstLine);
  assert.ok(firstLine.test('<?xml version="1.0" encoding="UTF-8"?><AnyConnectProfile xmlns="x">'));
  assert.ok(firstLine.test('<AnyConnectProfile>'));
  assert.ok(!firstLine.test('<?xml version="1.0"?><project>'));
});

test('contributed files exist and parse', () => {
  for (const c of [...pkg.contributes.grammars, ...pkg.contributes.snippets]) {
    JSON.parse(fs.readFileSync(path.join(root, c.path), 'utf8'));
  }
  JSON.parse(fs.readFileSync(path.join(root, pkg.contributes.languages[0].configuration), 'utf8'));
});

test(
  'the .vsix, packed from the staged copy `npm run package` makes, holds only what runs, under 3 MB, with the ' +
    'license, changelog and icon',
  () => {
    // scripts/package-vsix.mjs: .vscodeignore is the .vsix's allow-list, read by vsce in a copy whose package.json has no `files`.
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/package-vsix.mjs'), '--list'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').filter(Boolean);
    assert.deepEqual(
      files.filter((f) => !shipped.test(f)),
      [],
      'no sources, tests, node_modules or build output',
    );
    for (const needed of [
      'dist/extension.js',
      'dist/languageClient.js',
      'dist/server.js',
      'dist/tree-sitter-bash.wasm',
      'dist/web-tree-sitter.wasm',
      'package.json',
      'LICENSE',
      'CHANGELOG.md',
      'images/icon.png',
      'README.md',
    ])
      assert.ok(files.includes(needed), needed);
    // The bundles hold the shell parser's glue; its .cjs file in dist/ is for the unbundled tests only.
    assert.ok(!files.includes('dist/web-tree-sitter.cjs'), 'dist/web-tree-sitter.cjs is not shipped');
    // The .vsix is a zip, each file deflated; this build is the unminified one, larger than what ships.
    const bytes = files.reduce((sum, f) => sum + deflateRawSync(fs.readFileSync(path.join(root, f)), { level: 9 }).length, 0);
    assert.ok(bytes <= 3 * 1024 * 1024, `${bytes} bytes compressed`);
  },
);

test("the .vsix and the npm package have one allow-list: .vscodeignore lets in exactly what package.json's `files` lists", () => {
  const ignore = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  assert.equal(ignore[0], '**', 'everything is left out first');
  assert.deepEqual(
    ignore
      .slice(1)
      .map((l) => l.replace(/^!/, ''))
      .sort(),
    [...pkg.files].sort(),
  );
  assert.ok(
    ignore.slice(1).every((l) => l.startsWith('!')),
    'the rest are exceptions',
  );
});

test('the marketplace listing: an icon that is a PNG, MIT, categories and keywords', () => {
  assert.deepEqual([...fs.readFileSync(path.join(root, pkg.icon)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(pkg.license, 'MIT');
  assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.ok(pkg.categories.includes('Linters'));
  assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'the marketplace shows up to 30 keywords');
});
