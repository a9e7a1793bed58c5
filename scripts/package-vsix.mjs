// `npm run package` (after the production build): the .vsix, made by vsce from a staged copy of the
// project. npm reads package.json's `files` and vsce reads .vscodeignore, each its own allow-list,
// but vsce refuses a .vscodeignore beside `files`; the stage has both the .vscodeignore and a
// package.json without `files`, and everything else the project holds (sources and tests too, which
// the .vscodeignore must keep out). `--list` prints what the .vsix would hold instead of packing it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// Installed, cached or generated trees the .vsix never holds (vsce packs with --no-dependencies;
// .cache/ holds the editors the tests fetch, scripts/ensure-editors.mjs).
const notStaged = new Set(['node_modules', '.git', '.vscode-test', '.cache', 'out', 'out-e2e']);

/** A copy of the project to pack: package.json without `files`, the rest as it is. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'hooksmith-vsix-'));
  const benchOut = join(root, 'bench', 'out');
  for (const entry of readdirSync(root)) {
    if (notStaged.has(entry) || entry.endsWith('.vsix') || entry === 'package.json') continue;
    cpSync(join(root, entry), join(dir, entry), { recursive: true, filter: (src) => src !== benchOut });
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

const list = process.argv.includes('--list');
const staged = stage();
try {
  const args = list
    ? ['ls', '--no-dependencies']
    : ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', join(root, 'hooksmith.vsix')];
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: staged, stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(staged, { recursive: true, force: true });
}
