import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

// `npm run bench` installs its baselines first (xmllint above all), as pretest does for the tests.
const root = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-bench-deps-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A PATH folder holding sh and the given commands (empty scripts), and nothing else: no apt-get. */
function pathWith(name: string, commands: string[]): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.symlinkSync('/bin/sh', path.join(dir, 'sh'));
  for (const c of commands) fs.writeFileSync(path.join(dir, c), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

function ensureBenchDeps(pathVar: string) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/ensure-bench-deps.mjs')], {
    env: { PATH: pathVar },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('the bench set-up does nothing when xmllint, ShellCheck and bubblewrap are there', () => {
  const r = ensureBenchDeps(pathWith('all', ['xmllint', 'shellcheck', 'bwrap']));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, '');
});

test('without xmllint and without apt-get, the bench set-up stops and names the Debian package', () => {
  const r = ensureBenchDeps(pathWith('no-xmllint', ['shellcheck', 'bwrap']));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Missing for the benchmark: libxml2-utils; install it \(Debian: apt-get install libxml2-utils\)/);
});
