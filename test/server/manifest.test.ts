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

test('the .vsix holds only what runs, under 3 MB, with the license, changelog and icon', () => {
  // package.json's `files` is the one allow-list, for vsce as for npm (vsce refuses a .vscodeignore beside it).
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').filter(Boolean);
  assert.deepEqual(files.filter((f) => !shipped.test(f)), []);
  for (const needed of ['dist/extension.js', 'dist/languageClient.js', 'dist/server.js', 'dist/tree-sitter-bash.wasm', 'dist/web-tree-sitter.wasm', 'dist/web-tree-sitter.cjs', 'package.json', 'LICENSE', 'CHANGELOG.md', 'images/icon.png']) assert.ok(files.includes(needed), needed);
  // The .vsix is a zip, each file deflated; this build is the unminified one, larger than what ships.
  const bytes = files.reduce((sum, f) => sum + deflateRawSync(fs.readFileSync(path.join(root, f)), { level: 9 }).length, 0);
  assert.ok(bytes <= 3 * 1024 * 1024, `${bytes} bytes compressed`);
});

test('the marketplace listing: an icon that is a PNG, MIT, categories and keywords', () => {
  assert.deepEqual([...fs.readFileSync(path.join(root, pkg.icon)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(pkg.license, 'MIT');
  assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.ok(pkg.categories.includes('Linters'));
  assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'the marketplace shows up to 30 keywords');
});
