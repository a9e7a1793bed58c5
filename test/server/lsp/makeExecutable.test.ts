import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { makeExecutable, withExecute } from '../../../server/src/lsp/makeExecutable';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-chmod-'));
const file = (name: string, mode: number): string => {
  const p = path.join(work, name);
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
};
const modeOf = (p: string): number => fs.statSync(p).mode & 0o7777;

suite('makeExecutable', { skip: process.platform === 'win32' }, () => {
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('execute is added exactly where read is allowed', () => {
    const cases: [number, number][] = [
      [0o644, 0o755],
      [0o640, 0o750],
      [0o600, 0o700],
      [0o444, 0o555],
      [0o200, 0o200],
      [0o4644, 0o4755],
    ];
    for (const [mode, expected] of cases) assert.equal(withExecute(mode).toString(8), expected.toString(8), mode.toString(8));
  });

  test('changes the file and says what it did', () => {
    const p = file('OnConnect_a.sh', 0o644);
    assert.deepEqual(makeExecutable(p), { changed: true, mode: '0755' });
    assert.equal(modeOf(p), 0o755);
    assert.deepEqual(makeExecutable(p), { changed: false, mode: '0755' });
  });

  test('refuses a symbolic link and leaves its target alone', () => {
    const target = file('target.sh', 0o644);
    const link = path.join(work, 'OnConnect_link.sh');
    fs.symlinkSync(target, link);
    const result = makeExecutable(link);
    assert.equal(result.changed, false);
    assert.match('reason' in result ? result.reason : '', /symbolic link/);
    assert.equal(modeOf(target), 0o644);
  });

  test('refuses a folder and never creates a missing file', () => {
    fs.mkdirSync(path.join(work, 'OnConnect_dir'));
    assert.match(JSON.stringify(makeExecutable(path.join(work, 'OnConnect_dir'))), /not a regular file/);
    const missing = path.join(work, 'OnConnect_missing.sh');
    assert.equal(makeExecutable(missing).changed, false);
    assert.equal(fs.existsSync(missing), false);
  });
});
