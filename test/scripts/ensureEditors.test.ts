import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { root } from '../helpers/packed';

// scripts/ensure-editors.mjs against a Debian archive of the test's own, served on loopback and
// signed with a throwaway key: the same checks as against deb.debian.org (InRelease's signature, the
// index's SHA256, every .deb's), the dependency closure, the wrappers, and nothing fetched twice.
// Its packages are tiny stand-ins: `nvim` and `hx` are this machine's /bin/echo, libc6 holds its loader.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-ensure-editors-'));
const gnupg = path.join(work, 'gnupg');
after(() => {
  // gpg started an agent for each key's home: stop them before their folders go.
  for (const home of fs.existsSync(gnupg) ? fs.readdirSync(gnupg) : []) {
    spawnSync('gpgconf', ['--homedir', path.join(gnupg, home), '--kill', 'gpg-agent'], { stdio: 'ignore' });
  }
  fs.rmSync(work, { recursive: true, force: true });
});
const loader = fs.realpathSync('/lib64/ld-linux-x86-64.so.2');

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A throwaway signing key; resolves to a keyring file holding its public half (gpgv's --keyring). */
function signingKey(name: string): string {
  const home = path.join(gnupg, name);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const gpg = (...args: string[]): Buffer => execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', ...args], { stdio: 'pipe' });
  gpg(
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-gen-key',
    `${name} <${name}@hooksmith.invalid>`,
    'ed25519',
    'sign',
    'never',
  );
  const keyring = path.join(work, `${name}.gpg`);
  fs.writeFileSync(keyring, gpg('--export'));
  return home;
}

interface Pkg {
  name: string;
  version: string;
  depends?: string;
  files: Record<string, { from?: string; text?: string; mode?: number }>;
}

/** Builds `pkg` as a .deb under the mirror's pool; resolves to its Packages stanza. */
function buildDeb(mirror: string, pkg: Pkg, tamper = false): string {
  const tree = path.join(work, 'trees', `${pkg.name}_${pkg.version}`);
  fs.mkdirSync(path.join(tree, 'DEBIAN'), { recursive: true });
  const control = [`Package: ${pkg.name}`, `Version: ${pkg.version}`, 'Architecture: amd64', 'Maintainer: t <t@hooksmith.invalid>'];
  if (pkg.depends) control.push(`Depends: ${pkg.depends}`);
  fs.writeFileSync(path.join(tree, 'DEBIAN/control'), [...control, 'Description: test', ''].join('\n'));
  for (const [rel, f] of Object.entries(pkg.files)) {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    if (f.from) fs.copyFileSync(f.from, path.join(tree, rel));
    else fs.writeFileSync(path.join(tree, rel), f.text ?? '');
    fs.chmodSync(path.join(tree, rel), f.mode ?? 0o755);
  }
  const filename = `pool/main/${pkg.name[0]}/${pkg.name}/${pkg.name}_${pkg.version}_amd64.deb`;
  const deb = path.join(mirror, filename);
  fs.mkdirSync(path.dirname(deb), { recursive: true });
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, deb], { stdio: 'ignore' });
  const bytes = fs.readFileSync(deb);
  const stanza = [...control, `Filename: ${filename}`, `Size: ${bytes.length}`, `SHA256: ${sha256(bytes)}`, ''].join('\n');
  if (tamper) fs.writeFileSync(deb, Buffer.concat([bytes, Buffer.from('x')])); // what the index promises no longer
  return stanza;
}

/** A suite as Debian lays it out: dists/<suite>/InRelease (signed with `key`) over main/binary-amd64/Packages.xz. */
function buildSuite(mirror: string, suite: string, key: string, stanzas: string[]): void {
  const dists = path.join(mirror, 'dists', suite);
  fs.mkdirSync(path.join(dists, 'main/binary-amd64'), { recursive: true });
  const xz = execFileSync('xz', ['-c'], { input: stanzas.join('\n') });
  fs.writeFileSync(path.join(dists, 'main/binary-amd64/Packages.xz'), xz);
  const release = `Suite: ${suite}\nSHA256:\n ${sha256(xz)} ${xz.length} main/binary-amd64/Packages.xz\n`;
  const signed = execFileSync('gpg', ['--homedir', key, '--batch', '--quiet', '--clearsign'], { input: release });
  fs.writeFileSync(path.join(dists, 'InRelease'), signed);
}

/** The stand-in archive: neovim 0.10 in trixie, 0.12 in sid, hx 25.01 in trixie, each on libc6. */
function buildMirror(name: string, key: string, opts: { tamper?: string; trixieNeovim?: string } = {}): string {
  const mirror = path.join(work, name);
  const libc6 = (v: string): Pkg => ({
    name: 'libc6',
    version: v,
    files: { 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2': { from: loader } },
  });
  const neovim = (v: string): Pkg => ({
    name: 'neovim',
    version: v,
    depends: `neovim-runtime (= ${v}), libc6 (>= 2.38) | libc6-alt`,
    files: { 'usr/bin/nvim': { from: '/bin/echo' } },
  });
  const runtime = (v: string): Pkg => ({
    name: 'neovim-runtime',
    version: v,
    files: { 'usr/share/nvim/runtime/filetype.lua': { text: '' } },
  });
  const hx: Pkg = { name: 'hx', version: '25.01.1-4', depends: 'libc6', files: { 'usr/bin/hx': { from: '/bin/echo' } } };
  const deb = (p: Pkg): string => buildDeb(mirror, p, opts.tamper === p.name);
  const trixieNeovim = opts.trixieNeovim ?? '0.10.4-8';
  buildSuite(mirror, 'trixie', key, [neovim(trixieNeovim), runtime(trixieNeovim), libc6('2.41-12'), hx].map(deb));
  buildSuite(mirror, 'sid', key, [neovim('0.12.4-1'), runtime('0.12.4-1'), libc6('2.42-1')].map(deb));
  return mirror;
}

/** Serves `dir` on loopback; counts the requests. */
async function serve(dir: string): Promise<{ url: string; requests: string[]; close: () => void }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => server.close() };
}

/** Runs the script against `mirror` with `keyring`, into `dir`. */
function ensureEditors(mirror: string, keyring: string, dir: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/ensure-editors.mjs')], {
      env: { ...process.env, HOOKSMITH_DEBIAN_MIRROR: mirror, HOOKSMITH_DEBIAN_KEYRING: keyring, HOOKSMITH_EDITORS_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

suite('scripts/ensure-editors.mjs, against a signed Debian archive on loopback', () => {
  let keyring: string;
  let otherKeyring: string;
  let good: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    const key = signingKey('archive');
    keyring = path.join(work, 'archive.gpg');
    signingKey('stranger');
    otherKeyring = path.join(work, 'stranger.gpg');
    good = await serve(buildMirror('good', key));
  });
  after(() => good.close());

  test('provides nvim-0.10, nvim-0.12 and hx as wrappers that run through the unpacked loader, then fetches nothing again', async () => {
    const dir = path.join(work, 'editors-good');
    const first = await ensureEditors(good.url, keyring, dir);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /nvim-0\.10: .*\(Debian trixie, 3 packages\)/);
    assert.match(first.out, /nvim-0\.12: .*\(Debian sid, 3 packages\)/);
    assert.match(first.out, /hx: .*\(Debian trixie, 2 packages\)/);
    for (const name of ['nvim-0.10', 'nvim-0.12', 'hx']) {
      const wrapper = fs.readFileSync(path.join(dir, 'bin', name), 'utf8');
      assert.match(wrapper, /ld-linux-x86-64\.so\.2" --library-path /);
      // The stand-in editor is echo: the wrapper passes the arguments through, and VIMRUNTIME for Neovim.
      const said = execFileSync(path.join(dir, 'bin', name), ['hello', 'there'], { encoding: 'utf8' });
      assert.equal(said, 'hello there\n');
    }
    assert.match(fs.readFileSync(path.join(dir, 'bin/nvim-0.12'), 'utf8'), /export VIMRUNTIME="\$d\/usr\/share\/nvim\/runtime"/);
    assert.ok(fs.existsSync(path.join(dir, 'nvim-0.12/usr/share/nvim/runtime/filetype.lua')), 'neovim-runtime, a dependency, is unpacked');

    const before = good.requests.length;
    const again = await ensureEditors(good.url, keyring, dir);
    assert.equal(again.status, 0, again.out);
    assert.equal(again.out, '', 'nothing to say');
    assert.deepEqual(good.requests.slice(before), [], 'nothing fetched');
  });

  test('the wrappers still run once the cache has moved, and an editor whose folder is gone is provided again, alone', async () => {
    const dir = path.join(work, 'editors-moved-cache');
    fs.cpSync(path.join(work, 'editors-good'), dir, { recursive: true, verbatimSymlinks: true });
    assert.equal(execFileSync(path.join(dir, 'bin/hx'), ['moved'], { encoding: 'utf8' }), 'moved\n');
    fs.rmSync(path.join(dir, 'hx'), { recursive: true });
    const r = await ensureEditors(good.url, keyring, dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^Fetching hx from Debian for the editor tests\.\.\.\nhx: /);
    assert.doesNotMatch(r.out, /nvim/);
    assert.equal(execFileSync(path.join(dir, 'bin/hx'), ['back'], { encoding: 'utf8' }), 'back\n');
  });

  test('an InRelease signed by a key outside the keyring is refused, loudly, and nothing is provided', async () => {
    const dir = path.join(work, 'editors-stranger');
    const r = await ensureEditors(good.url, otherKeyring, dir);
    assert.equal(r.status, 1);
    assert.match(r.out, /trixie's InRelease does not verify/);
    assert.match(r.out, /their tests will FAIL/);
    assert.equal(fs.existsSync(path.join(dir, 'bin')), false);
  });

  test('a .deb that does not match the index is refused and its editor not provided; the others are', async () => {
    const key = path.join(gnupg, 'archive');
    const tampered = await serve(buildMirror('tampered', key, { tamper: 'hx' }));
    try {
      const dir = path.join(work, 'editors-tampered');
      const r = await ensureEditors(tampered.url, keyring, dir);
      assert.equal(r.status, 1);
      assert.match(r.out, /hx: pool\/main\/h\/hx\/hx_25\.01\.1-4_amd64\.deb: SHA256 does not match the index/);
      assert.equal(fs.existsSync(path.join(dir, 'bin/hx')), false);
      assert.ok(fs.existsSync(path.join(dir, 'bin/nvim-0.10')));
    } finally {
      tampered.close();
    }
  });

  test('a suite whose Neovim is not the series the tests are for is refused, naming both', async () => {
    const key = path.join(gnupg, 'archive');
    const moved = await serve(buildMirror('moved', key, { trixieNeovim: '0.11.0-1' }));
    try {
      const r = await ensureEditors(moved.url, keyring, path.join(work, 'editors-moved'));
      assert.equal(r.status, 1);
      assert.match(r.out, /nvim-0\.10: Debian trixie has neovim 0\.11\.0-1, not 0\.10\.x/);
    } finally {
      moved.close();
    }
  });

  test('an archive that cannot be reached is reported with the address it tried', async () => {
    const r = await ensureEditors('http://127.0.0.1:9', keyring, path.join(work, 'editors-unreachable'));
    assert.equal(r.status, 1);
    assert.match(r.out, /cannot fetch http:\/\/127\.0\.0\.1:9\/dists\/trixie\/InRelease/);
  });
});
