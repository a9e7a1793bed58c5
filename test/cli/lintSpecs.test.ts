// `hooksmith lint` checks hook test specs as the editor does (HS800-HS810 at their ranges, in every format), and a file named
// both alone and through its folder is reported once.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';

const cli = path.join(path.resolve(__dirname, '../../..'), 'dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lint-specs-'));
const spec = 'tests:\n  - name: one\n    family: anyconnect\n    events: [connect]\n    colour: red\n    expect:\n      exit: 0\n';
fs.mkdirSync(path.join(work, 'hooks'));
fs.writeFileSync(path.join(work, 'hooks/OnConnect_x.sh'), '#!/bin/sh\nlogger hi\n', { mode: 0o755 });
fs.writeFileSync(path.join(work, 'hooks/vpn.hooktest.yaml'), spec);

function lint(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd: work, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

suite('hooksmith lint of hook test specs', () => {
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a spec named on the command line gets its mistakes at their ranges, and exit status 1', () => {
    const r = lint('hooks/vpn.hooktest.yaml');
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^hooks\/vpn\.hooktest\.yaml:5:5: error HS801 Unknown key 'colour' in a test: /);
    assert.match(r.stdout, /\n1 problem \(1 error, 0 warnings, 0 notes\) in 1 hook test spec\n$/);
  });

  test('a folder contributes its specs; a file also inside a folder given is linted and reported once', () => {
    const r = lint('hooks', 'hooks/vpn.hooktest.yaml', 'hooks/OnConnect_x.sh');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout.match(/HS801/g)?.length, 1, r.stdout);
    assert.match(r.stdout, /in 1 hook and 1 hook test spec\n$/);
  });

  test('SARIF carries the spec finding with its rule and a relative location', () => {
    const [runLog] = JSON.parse(lint('--format', 'sarif', 'hooks').stdout).runs;
    assert.deepEqual(
      runLog.results.map((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        r.ruleId,
        r.locations[0].physicalLocation.artifactLocation.uri,
      ]),
      [['HS801', 'hooks/vpn.hooktest.yaml']],
    );
  });
});
