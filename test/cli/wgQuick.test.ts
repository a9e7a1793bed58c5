// The wg-quick family through the CLI, as a CI job uses it: lint of the example and of a broken
// config (findings at their line and column inside the values, ShellCheck's too), and
// `hooksmith simulate wg-quick up,down --config FILE`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { SimulationReport } from '../../server/src/protocol';
import { cliWorkspace, jsonOf, repoRoot } from '../helpers/cli';

const example = path.join(repoRoot, 'examples/wg-quick');
// A config holds a private key: mode 600 unless a test says otherwise.
const { dir: work, write, run: hooksmith } = cliWorkspace('hooksmith-cli-wg-', { mode: 0o600 });

suite('hooksmith and wg-quick', () => {
  test('lint: the example (a config and the script its lines run), mode 600, has no problems', () => {
    const copy = path.join(work, 'example');
    fs.cpSync(example, copy, { recursive: true });
    fs.chmodSync(path.join(copy, 'wg0.conf'), 0o600);
    const r = hooksmith('lint', copy);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems in 1 hook, 1 config file and 1 hook test spec/);
  });

  test("lint: a PostDown mismatch, a stray quote and ShellCheck's finding after %i, each at its line and column", () => {
    write('broken/wg0.conf', [
      '[Interface]',
      'PrivateKey = cHJpdmF0ZQ==',
      'PostUp = iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE',
      'PostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE',
      '  PreUp = logger "starting %i',
      'PostUp = ip link set %i mtu $1',
    ]);
    const r = hooksmith('lint', path.join(work, 'broken'), '--format', 'gcc');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /broken\/wg0\.conf:4:12: warning: This PostDown does not undo PostUp \(line 3\): its spec lacks -s 10\.99\.0\.0\/24.* \[HS654\]/,
    );
    assert.match(r.stdout, /broken\/wg0\.conf:5:18: error: This " is never closed.* \[HS652\]/);
    assert.match(r.stdout, /broken\/wg0\.conf:6:29: note: Double quote to prevent globbing and word splitting\. \[SC2086\]/);
  });

  test('simulate: up then down of the example, --json; a failing PostUp aborts up and down is not run', () => {
    const ok = hooksmith('simulate', 'wg-quick', 'up,down', '--config', path.join(example, 'wg0.conf'), '--isolation', 'shims', '--json');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const report = jsonOf<SimulationReport>(ok);
    // wg-quick's own steps are listed in their places (not run: shims mode), as the sandbox runs them.
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.notRun?.reason ?? r.exitCode]),
      [
        ['up: wg-quick (add wg0)', 'listed'],
        ['up: wg-quick (configure wg0)', 'listed'],
        ['up: PostUp 1', 0],
        ['up: PostUp 2', 0],
        ['up: PostUp 3', 0],
        ['down: PreDown', 0],
        ['down: wg-quick (delete wg0)', 'listed'],
        ['down: PostDown 1', 0],
        ['down: PostDown 2', 0],
      ],
    );
    assert.deepEqual(report.runs[2].commands[1].argv.slice(0, 4), ['iptables', '-t', 'nat', '-A']);
    assert.equal(report.ok, true);
    const failing = write('wg9.conf', ['[Interface]', 'PostUp = echo first', 'PostUp = false', 'PostDown = echo down']);
    const r = hooksmith('simulate', 'wg-quick', 'up,down', '--config', failing, '--isolation', 'shims');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\[#\] echo first ; \[#\] false ; \[#\] ip link delete dev wg9/);
    assert.match(r.stdout, /down: not run: wg-quick down stops at once/);
  });

  test("test: the example's spec passes; the same spec fails on a PostDown that leaves out -s, naming the missing command", () => {
    const ok = hooksmith('test', example);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /PASS {2}down deletes every rule up added/);
    const dir = path.join(work, 'spec');
    fs.cpSync(example, dir, { recursive: true });
    const conf = path.join(dir, 'wg0.conf');
    fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace('-t nat -D POSTROUTING -s 10.99.0.0/24', '-t nat -D POSTROUTING'));
    const r = hooksmith('test', dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}down deletes every rule up added/);
    assert.match(r.stdout, /iptables -t nat -D POSTROUTING -s 10\.99\.0\.0\/24 -o eth0 -j MASQUERADE/);
  });

  test('simulate: usage errors say what is missing', () => {
    const r = hooksmith('simulate', 'wg-quick', 'up,sideways', '--config', 'x.conf');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /Unknown wg-quick command 'sideways': use up, down/);
    const noConfig = hooksmith('simulate', 'wg-quick', 'up');
    assert.match(noConfig.stderr, /simulate wg-quick needs --config FILE/);
  });
});
