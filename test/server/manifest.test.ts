import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

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

test('.vscodeignore is an allow-list that keeps what runs', () => {
  const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.equal(lines.find((l) => l && !l.startsWith('#')), '**', 'first rule excludes everything');
  for (const needed of ['!dist/extension.js', '!dist/server.js', '!dist/web-tree-sitter.cjs', '!package.json', '!docs/rules/**']) assert.ok(lines.includes(needed), needed);
});

test('the .vsix would hold only what runs: bundles, manifest, grammar, snippets, rule docs', () => {
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').filter(Boolean);
  const allowed = /^(package\.json|README\.md|LICENSE|language-configuration\.json|dist\/(extension|server|languageClient)\.js|dist\/[^/]+\.wasm|dist\/web-tree-sitter\.cjs|syntaxes\/[^/]+\.json|snippets\/[^/]+\.json|docs\/rules\/[^/]+\.md)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  for (const needed of ['dist/extension.js', 'dist/languageClient.js', 'dist/server.js', 'dist/tree-sitter-bash.wasm', 'dist/web-tree-sitter.wasm', 'dist/web-tree-sitter.cjs', 'package.json']) assert.ok(files.includes(needed), needed);
});
