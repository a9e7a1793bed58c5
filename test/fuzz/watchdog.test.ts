import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

// A target whose 7th case never returns, run with a 1 s case deadline in a process of its own.
const stuckRun = `
const fc = require('fast-check');
const { fuzz } = require(${JSON.stringify(path.join(__dirname, 'harness.js'))});
let cases = 0;
const target = {
  name: 'never returns',
  arbitrary: fc.integer(),
  run(n) { if (++cases === 7) for (;;); return n; },
  check: () => [],
  show: (n) => 'case input ' + n,
};
fuzz(target, { numRuns: 100, seed: 4242, caseDeadlineMs: 1000 }).then(() => console.log('finished'));
`;

test('a fuzz case that never returns ends the run as a failure that names the seed and saves the input', () => {
  const saved = path.join(os.tmpdir(), 'hooksmith-fuzz-stuck-never-returns-4242.json');
  fs.rmSync(saved, { force: true });
  const r = spawnSync(process.execPath, ['-e', stuckRun], { encoding: 'utf8', timeout: 60_000, cwd: path.join(__dirname, '../../..') });
  assert.notEqual(r.error?.message.includes('ETIMEDOUT'), true, 'the run stalled');
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.doesNotMatch(r.stdout, /finished/);
  assert.match(r.stderr, /never returns \(seed 4242\): run 7 of the target never returned within 1000 ms/);
  const failure = JSON.parse(fs.readFileSync(saved, 'utf8')) as { seed: number; input: string };
  assert.equal(failure.seed, 4242);
  assert.match(failure.input, /^case input -?\d+$/);
  fs.rmSync(saved, { force: true });
});
