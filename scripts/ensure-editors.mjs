// Newer editors for the editor tests than Debian 12 packages: Neovim 0.10 (trixie), Neovim 0.12 (sid)
// and Helix (trixie). Their builds need a newer glibc than this machine's, so they are not installed:
// their .deb files (and their dependencies', that suite's libc6 included) are fetched from Debian's
// archive, checked, unpacked into .cache/hooksmith-editors/ (outside git and the packages), and run
// through the unpacked loader by a wrapper script in .cache/hooksmith-editors/bin/.
// Trust runs from this machine's Debian keyring: the suite's InRelease is checked with gpgv, the
// Packages index against the SHA256 InRelease gives, and every .deb against the index.
// Idempotent: nothing is fetched when an editor's folder is complete.
// Run alone: `node scripts/ensure-editors.mjs`; scripts/ensure-test-deps.mjs calls it before `npm test`.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The archive, the keys it is checked with and the folder it goes to; the environment overrides them
// for test/scripts/ensureEditors.test.ts, which serves a suite of its own on loopback.
const mirror = process.env.HOOKSMITH_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const keyring = process.env.HOOKSMITH_DEBIAN_KEYRING ?? '/usr/share/keyrings/debian-archive-keyring.gpg';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const editorsDir = process.env.HOOKSMITH_EDITORS_DIR ?? path.join(repoRoot, '.cache/hooksmith-editors');
const libDirs = ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu'];

/** Debian's Neovim from `suite`, with its runtime files. */
const neovim = (name, suite, series) => ({
  name,
  suite,
  packages: ['neovim', 'neovim-runtime'],
  series,
  exe: 'usr/bin/nvim',
  env: { VIMRUNTIME: 'usr/share/nvim/runtime' },
});

/** Each editor: the suite it comes from, the packages it needs, the release series it must be of, how it is run. */
export const editors = [
  neovim('nvim-0.10', 'trixie', '0.10'),
  neovim('nvim-0.12', 'sid', '0.12'),
  { name: 'hx', suite: 'trixie', packages: ['hx'], series: '25', exe: 'usr/bin/hx', env: { HELIX_RUNTIME: 'usr/lib/hx/runtime' } },
];

/** The wrapper that runs `name` (what the tests call). */
export const editorBin = (name) => path.join(editorsDir, 'bin', name);

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

async function fetchBytes(url) {
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  } catch (e) {
    throw new Error(`cannot fetch ${url}: ${e.cause?.message ?? e.message}`, { cause: e });
  }
  if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The suite's Packages index as a Map name -> fields, its signature and checksum verified. */
async function packagesIndex(suite) {
  const inRelease = await fetchBytes(`${mirror}/dists/${suite}/InRelease`);
  // gpgv prints only what the signature covers: nothing unsigned is read.
  const verified = spawnSync('gpgv', ['--keyring', keyring, '--output', '-', '-'], { input: inRelease, maxBuffer: 64 << 20 });
  if (verified.status !== 0) throw new Error(`${suite}'s InRelease does not verify with ${keyring}: ${verified.stderr}`);
  const release = verified.stdout.toString();
  const sums = release.slice(release.indexOf('\nSHA256:'));
  const want = / ([0-9a-f]{64})\s+\d+ main\/binary-amd64\/Packages\.xz\n/.exec(sums)?.[1];
  if (!want) throw new Error(`${suite}'s InRelease lists no SHA256 for main/binary-amd64/Packages.xz`);
  const xz = await fetchBytes(`${mirror}/dists/${suite}/main/binary-amd64/Packages.xz`);
  if (sha256(xz) !== want) throw new Error(`${suite}'s Packages.xz does not match the SHA256 in its InRelease`);
  return parseIndex(execFileSync('xz', ['-dc'], { input: xz, maxBuffer: 1 << 30 }).toString());
}

function parseIndex(text) {
  const byName = new Map();
  const provided = new Map();
  for (const stanza of text.split('\n\n')) {
    const fields = {};
    for (const line of stanza.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && !/^\s/.test(line)) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    if (!fields.Package) continue;
    byName.set(fields.Package, fields);
    for (const p of names(fields.Provides)) if (!provided.has(p)) provided.set(p, fields.Package);
  }
  return { get: (name) => byName.get(name) ?? byName.get(provided.get(name)) };
}

/** The package names in a Depends-like field, first alternative that exists, versions dropped. */
function names(field) {
  return (field ?? '')
    .split(',')
    .map((dep) => dep.trim())
    .filter(Boolean)
    .map((dep) => dep.split('|').map((alt) => alt.trim().split(/[\s(:]/)[0]));
}

/** `roots` and everything they depend on (Depends, Pre-Depends), each as its index fields. */
function closure(index, roots) {
  const seen = new Map();
  const todo = roots.map((r) => [r]);
  while (todo.length > 0) {
    const alternatives = todo.shift();
    const fields = alternatives.map((a) => index.get(a)).find(Boolean);
    if (!fields) throw new Error(`no package in the index for ${alternatives.join(' | ')}`);
    if (seen.has(fields.Package)) continue;
    seen.set(fields.Package, fields);
    todo.push(...names(fields['Pre-Depends']), ...names(fields.Depends));
  }
  return [...seen.values()];
}

/** The .deb for `fields`, from the shared download folder if it is there and checks out, else fetched. */
async function deb(fields) {
  const file = path.join(editorsDir, 'debs', path.basename(fields.Filename));
  if (fs.existsSync(file) && sha256(fs.readFileSync(file)) === fields.SHA256) return file;
  const bytes = await fetchBytes(`${mirror}/${fields.Filename}`);
  if (sha256(bytes) !== fields.SHA256) throw new Error(`${fields.Filename}: SHA256 does not match the index`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.part`, bytes);
  fs.renameSync(`${file}.part`, file);
  return file;
}

/** The wrapper in bin/: it finds the editor's folder beside itself, so the cache can move with the clone. */
function wrapper(editor) {
  const lines = [
    '#!/bin/sh',
    `# ${editor.name}, unpacked from Debian ${editor.suite} by scripts/ensure-editors.mjs.`,
    `d=$(cd "$(dirname "$0")/../${editor.name}" && pwd) || exit 127`,
  ];
  for (const [k, v] of Object.entries(editor.env)) lines.push(`export ${k}="$d/${v}"`);
  // The loader is the suite's; --library-path reaches the editor alone, not the processes it starts.
  const libs = libDirs.map((l) => `$d/${l}`).join(':');
  lines.push(`exec "$d/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "${libs}" "$d/${editor.exe}" "$@"`, '');
  return lines.join('\n');
}

async function install(editor, index) {
  const top = index.get(editor.packages[0]);
  const upstream = top?.Version.replace(/^\d+:/, '');
  if (!top || !upstream.startsWith(`${editor.series}.`)) {
    throw new Error(`Debian ${editor.suite} has ${editor.packages[0]} ${upstream ?? '(none)'}, not ${editor.series}.x`);
  }
  const dir = path.join(editorsDir, editor.name);
  const staging = `${dir}.part`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const pkgs = closure(index, editor.packages);
  for (const fields of pkgs) execFileSync('dpkg-deb', ['-x', await deb(fields), staging]);
  fs.writeFileSync(path.join(staging, 'hooksmith-packages.txt'), pkgs.map((p) => `${p.Package} ${p.Version} ${p.SHA256}\n`).join(''));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  const bin = editorBin(editor.name);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.writeFileSync(`${bin}.part`, wrapper(editor), { mode: 0o755 });
  fs.renameSync(`${bin}.part`, bin); // last: the wrapper's presence means the folder is complete
  const ran = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (ran.status !== 0) throw new Error(`${bin} --version failed: ${ran.stderr || ran.error?.message}`);
  console.log(`${editor.name}: ${ran.stdout.split('\n')[0]} (Debian ${editor.suite}, ${pkgs.length} packages)`);
}

/** Provides every editor that is not there yet; resolves to the problems, one line each ([] when all are there). */
export async function ensureEditors() {
  const there = (e) => fs.existsSync(editorBin(e.name)) && fs.existsSync(path.join(editorsDir, e.name, e.exe));
  const missing = editors.filter((e) => !there(e));
  const problems = [];
  const indexes = new Map();
  for (const editor of missing) {
    try {
      if (!indexes.has(editor.suite)) indexes.set(editor.suite, packagesIndex(editor.suite));
      if (missing.indexOf(editor) === 0)
        console.log(`Fetching ${missing.map((e) => e.name).join(', ')} from Debian for the editor tests...`);
      await install(editor, await indexes.get(editor.suite));
    } catch (e) {
      problems.push(`${editor.name}: ${e.message}`);
    }
  }
  return problems;
}

/** Prints the problems loudly; the editor tests then fail, naming this script. */
export function reportProblems(problems) {
  if (problems.length === 0) return;
  const bar = '!'.repeat(100);
  console.error(`${bar}\nThe newer editors for the editor tests could not be provided; their tests will FAIL:`);
  for (const p of problems) console.error(`  ${p}`);
  console.error(`Try again with: node scripts/ensure-editors.mjs\n${bar}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = await ensureEditors();
  reportProblems(problems);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
