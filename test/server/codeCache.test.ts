import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { maxKeys } from '../../server/src/codeCache';

// dist/cli.js runs the CLI bundle through runWithCodeCache: the same answers with a cache, without
// one, and after the bundle changed under its cache.
const codeCache = path.resolve(__dirname, '../../server/src/codeCache.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-code-cache-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs `bundle` as `hooksmith` runs its bundle, with `args` (the first is the kind of run); returns its standard output. */
function run(bundle: string, cacheDir: string, ...args: string[]): string {
  const entry = path.join(work, 'entry.js');
  fs.writeFileSync(
    entry,
    `require(${JSON.stringify(codeCache)}).runWithCodeCache(process.env.BUNDLE, process.env.CACHE, process.argv[2] ?? '');\n`,
  );
  const r = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { ...process.env, BUNDLE: bundle, CACHE: cacheDir } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** The one cache file in `cacheDir`: its name, the kinds of run it covers, its size and time. */
function cacheIn(cacheDir: string): { name: string; covers: string[]; size: number; mtimeMs: number } {
  const caches = fs.readdirSync(cacheDir).filter((n) => n.endsWith('.v8cache'));
  assert.equal(caches.length, 1, caches.join(', '));
  const file = path.join(cacheDir, caches[0]);
  const bytes = fs.readFileSync(file);
  const covers = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString()) as string[];
  return { name: caches[0], covers, ...fs.statSync(file) };
}

/** A bundle that prints `word`, its arguments and whether it is the main module. */
function bundle(file: string, word: string): void {
  fs.writeFileSync(
    file,
    `#!/usr/bin/env node\nconst main = require.main === module;\nconsole.log(${JSON.stringify(word)}, main, ` +
      `process.argv.slice(2).join(' '), require('node:path').basename(__filename));\n`,
  );
}

test('the bundle runs as the main module, with its arguments, and writes its cache for the next run, which uses it', () => {
  const file = path.join(work, 'first.js');
  const cache = path.join(work, 'cache-first');
  bundle(file, 'one');
  assert.equal(run(file, cache, 'lint', 'x'), 'one true lint x first.js\n');
  const written = fs.readdirSync(cache);
  assert.equal(written.length, 1);
  const stamp = fs.statSync(path.join(cache, written[0])).mtimeMs;
  assert.equal(run(file, cache, 'lint', 'y'), 'one true lint y first.js\n');
  assert.equal(fs.statSync(path.join(cache, written[0])).mtimeMs, stamp, 'an accepted cache is not written again');
});

test('a bundle rebuilt to the same length runs its new code, not the cached old one', () => {
  const file = path.join(work, 'rebuilt.js');
  const cache = path.join(work, 'cache-rebuilt');
  bundle(file, 'old');
  assert.match(run(file, cache), /^old /);
  bundle(file, 'new');
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(file, later, later); // a rebuild within the same millisecond is not what this tests
  assert.match(run(file, cache), /^new /);
});

test('a bundle with text past ASCII, with or without a shebang line, runs with its text as written, from its cache too', () => {
  // The CLI's bundle is ASCII and read as Latin-1; any other bundle must still be read as UTF-8.
  for (const [name, shebang] of [
    ['utf8-plain.js', ''],
    ['utf8-shebang.js', '#!/usr/bin/env node\n'],
  ] as const) {
    const file = path.join(work, name);
    const cache = path.join(work, `cache-${name}`);
    fs.writeFileSync(file, `${shebang}console.log('Grüße, 東京 ✓', require.main === module);\n`);
    assert.equal(run(file, cache, 'lint'), 'Grüße, 東京 ✓ true\n');
    assert.equal(run(file, cache, 'lint'), 'Grüße, 東京 ✓ true\n');
  }
  const ascii = path.join(work, 'ascii.js');
  fs.writeFileSync(ascii, "console.log('\\u00e9t\\u00e9', __filename.endsWith('ascii.js'));\n");
  assert.equal(run(ascii, path.join(work, 'cache-ascii'), 'lint'), 'été true\n');
});

test('a cache folder that cannot be made (a read-only install) only means no cache', () => {
  const file = path.join(work, 'readonly.js');
  const blocker = path.join(work, 'a-file');
  fs.writeFileSync(blocker, '');
  bundle(file, 'still');
  assert.match(run(file, path.join(blocker, 'cache')), /^still true/);
  assert.match(run(file, path.join(blocker, 'cache')), /^still true/);
});

/** A bundle whose two commands each run code of their own (a hundred functions). */
function twoCommandBundle(file: string): void {
  const fns = (prefix: string): string =>
    Array.from({ length: 100 }, (_, i) => `function ${prefix}${i}(x) { return [x, ${i}, '${prefix}'].join('-').length + ${i}; }`).join(
      '\n',
    );
  const calls = (prefix: string): string => Array.from({ length: 100 }, (_, i) => `${prefix}${i}(1)`).join(' + ');
  fs.writeFileSync(
    file,
    `${fns('lint')}\n${fns('simulate')}\n` +
      `console.log(process.argv[2] === 'lint' ? ${calls('lint')} : process.argv[2] === 'simulate' ? ${calls('simulate')} : 0);\n`,
  );
}

test('a run of a kind the cache does not cover writes it again, covering both kinds; then neither kind writes it', () => {
  const file = path.join(work, 'commands.js');
  const cache = path.join(work, 'cache-commands');
  twoCommandBundle(file);
  const answer = run(file, cache, 'simulate');
  const first = cacheIn(cache);
  assert.deepEqual(first.covers, ['simulate']);
  assert.equal(run(file, cache, 'lint'), run(file, path.join(work, 'cache-commands-none'), 'lint'), 'the same answer as without a cache');
  const second = cacheIn(cache);
  assert.deepEqual(second.covers, ['simulate', 'lint']);
  assert.ok(second.size > first.size, `the cache now holds lint's functions too (${first.size} -> ${second.size} bytes)`);
  assert.equal(run(file, cache, 'simulate'), answer);
  run(file, cache, 'lint');
  assert.equal(cacheIn(cache).mtimeMs, second.mtimeMs, 'a covered kind of run does not write the cache');
});

test('the kinds of run one cache records are bounded: arbitrary words as the command stop writing it', () => {
  const file = path.join(work, 'words.js');
  const cache = path.join(work, 'cache-words');
  bundle(file, 'w');
  for (let i = 0; i < maxKeys + 3; i++) run(file, cache, `word${i}`);
  const { covers, mtimeMs } = cacheIn(cache);
  assert.equal(covers.length, maxKeys);
  run(file, cache, 'yet-another');
  assert.equal(cacheIn(cache).mtimeMs, mtimeMs);
});

test("writing a cache removes those of earlier builds of the bundle and a killed run's partial file, not another node's", () => {
  const file = path.join(work, 'pruned.js');
  const cache = path.join(work, 'cache-pruned');
  fs.mkdirSync(cache);
  const old = ['pruned.js-10-1700000000000-1-v20.0.0-x64.v8cache', 'pruned.js-12-1700000000001-2-v20.0.0-x64.v8cache'];
  const partial = 'pruned.js-10-1700000000000-1-v20.0.0-x64.v8cache.4242';
  const foreign = ['other.js-10-1700000000000-1-v20.0.0-x64.v8cache', 'notes.txt'];
  for (const name of [...old, partial, ...foreign]) fs.writeFileSync(path.join(cache, name), 'x');
  const longAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(path.join(cache, partial), longAgo, longAgo);
  bundle(file, 'p');
  run(file, cache, 'lint');
  const mine = `${process.version}-${process.arch}.v8cache`;
  const current = fs.readdirSync(cache).find((n) => n.startsWith('pruned.js-') && n.endsWith(mine)) as string;
  const build = current.slice(0, current.length - mine.length);
  const otherNode = `${build}v18.0.0-arm64.v8cache`;
  fs.writeFileSync(path.join(cache, otherNode), 'x');
  run(file, cache, 'simulate');
  assert.deepEqual(fs.readdirSync(cache).sort(), [...foreign, current, otherNode].sort());
});

test('a cache of the older layout (V8 data alone) is written again in the new one', () => {
  const file = path.join(work, 'layout.js');
  const cache = path.join(work, 'cache-layout');
  bundle(file, 'l');
  run(file, cache, 'lint');
  const { name } = cacheIn(cache);
  fs.writeFileSync(path.join(cache, name), Buffer.from([1, 2, 3, 4]));
  assert.match(run(file, cache, 'lint'), /^l true lint/);
  assert.deepEqual(cacheIn(cache).covers, ['lint']);
});

test("hooksmith's entry: a lint of a profile after a lint of a hook writes the cache again, with the profile's functions", () => {
  // dist/cli.js itself, beside a stand-in bundle whose lint of each kind of file runs code of its own.
  const dir = path.join(work, 'entry-kinds');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.resolve(__dirname, '../../../dist/cli.js'), path.join(dir, 'cli.js'));
  const fns = (prefix: string): string =>
    Array.from({ length: 100 }, (_, i) => `function ${prefix}${i}(x) { return [x, ${i}, '${prefix}'].join('-').length; }`).join('\n');
  const calls = (prefix: string): string => Array.from({ length: 100 }, (_, i) => `${prefix}${i}(1)`).join(' + ');
  fs.writeFileSync(
    path.join(dir, 'hooksmith-cli.js'),
    `${fns('hook')}\n${fns('profile')}\nconst kinds = process.argv.slice(3);\nexports.lintedKinds = () => kinds;\n` +
      `console.log(kinds.map((k) => (k === 'hook' ? ${calls('hook')} : ${calls('profile')})).join(' '));\n`,
  );
  const lint = (...kinds: string[]): string => {
    const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'lint', ...kinds], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const cache = path.join(dir, 'v8-cache');
  const answer = lint('hook');
  const first = cacheIn(cache);
  assert.deepEqual(first.covers, ['lint:hook']);
  assert.equal(lint('profile'), lint('profile'), 'the same answer from the cache as when writing it');
  const second = cacheIn(cache);
  assert.deepEqual(second.covers, ['lint:hook', 'lint:profile']);
  assert.ok(second.size > first.size, `the cache now holds the profile lint's functions too (${first.size} -> ${second.size} bytes)`);
  assert.equal(lint('hook'), answer);
  lint('hook', 'profile');
  assert.equal(cacheIn(cache).mtimeMs, second.mtimeMs, 'a lint of kinds the cache covers does not write it');
});
