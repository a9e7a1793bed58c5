import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

// dist/cli.js runs the CLI bundle through runWithCodeCache: the same answers with a cache, without
// one, and after the bundle changed under its cache.
const codeCache = path.resolve(__dirname, '../../server/src/codeCache.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-code-cache-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs `bundle` as `hooksmith` runs its bundle, with `args`; returns its standard output. */
function run(bundle: string, cacheDir: string, ...args: string[]): string {
  const entry = path.join(work, 'entry.js');
  fs.writeFileSync(entry, `require(${JSON.stringify(codeCache)}).runWithCodeCache(process.env.BUNDLE, process.env.CACHE);\n`);
  const r = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { ...process.env, BUNDLE: bundle, CACHE: cacheDir } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
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

test('a cache folder that cannot be made (a read-only install) only means no cache', () => {
  const file = path.join(work, 'readonly.js');
  const blocker = path.join(work, 'a-file');
  fs.writeFileSync(blocker, '');
  bundle(file, 'still');
  assert.match(run(file, path.join(blocker, 'cache')), /^still true/);
  assert.match(run(file, path.join(blocker, 'cache')), /^still true/);
});
