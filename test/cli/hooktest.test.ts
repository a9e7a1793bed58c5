import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe as suite, test } from 'node:test';
import type { ResultJson } from '../../server/src/hooktest/results';
import { cliWorkspace, jsonOf, repoRoot } from '../helpers/cli';

// Specs and other files 644, hooks 755.
const { dir: work, write, run: hooksmith } = cliWorkspace('hooksmith-cli-test-', { command: ['test'], timeoutMs: 120_000, mode: 0o644 });
const hook = (file: string, lines: string[]) => write(file, ['#!/bin/sh', ...lines], 0o755);

/** The line of the first occurrence of `text` in a spec, 1-based. */
function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(work, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not in ${file}`);
  return i + 1;
}

// Real hooks, run as real processes by the simulator: each expectation kind once passing, once failing.
const common = 'family: anyconnect\n    isolation: shims\n    gap: 0\n';
const kinds = `tests:
  - name: exit passes
    scripts: quick
    events: [connect, disconnect]
    ${common}    expect:
      connect: { exit: 0 }
      disconnect: { exit: 3 }
  - name: exit fails
    scripts: quick
    events: [connect, disconnect]
    ${common}    expect:
      exit: 0 # EXIT-FAILS
  - name: timeout passes
    scripts: slow
    events: [connect]
    timeout: 300ms
    grace: 100
    ${common}    expect:
      connect: { timedOut: true }
  - name: timeout fails
    scripts: slow
    events: [connect]
    timeout: 300ms
    grace: 100
    ${common}    expect:
      timedOut: false # TIMEOUT-FAILS
  - name: next event passes
    scripts: slow
    events: [connect, disconnect]
    terminateOnNextEvent: true
    ${common.replace('gap: 0', 'gap: 200')}    expect:
      connect: { killedByNextEvent: true }
      disconnect: { killedByNextEvent: false, exit: 0 }
  - name: next event fails
    scripts: slow
    events: [connect, disconnect]
    terminateOnNextEvent: true
    ${common.replace('gap: 0', 'gap: 200')}    expect:
      connect:
        killedByNextEvent: false # NEXT-FAILS
  - name: duration passes
    scripts: quick
    events: [connect]
    ${common}    expect:
      durationUnder: 60s
  - name: duration fails
    scripts: slow
    events: [connect]
    timeout: 300ms
    grace: 100
    ${common}    expect:
      connect:
        durationUnder: 100 # DURATION-FAILS
  - name: commands pass
    scripts: quick
    events: [connect, disconnect]
    ${common}    expect:
      commands:
        contains: [ip route add 192.168.100.0/24 *, [logger, up *]]
        inOrder: [ip route add *, logger *, ip route del 192.168.100.0/24]
        notContains: [iptables *]
  - name: commands fail
    scripts: quick
    events: [connect]
    ${common}    expect:
      connect:
        commands:
          contains: [ip route add 10.0.0.0/8 *] # CONTAINS-FAILS
          inOrder: [logger *, ip route add *] # ORDER-FAILS
          notContains: [ip route *] # NOT-FAILS
  - name: output passes
    scripts: quick
    events: [connect]
    env: { CISCO_VPN_USERNAME: alice }
    ${common}    expect:
      stdout: connected as alice
      stderr: '/warn(ing)?: slow/'
  - name: output fails
    scripts: quick
    events: [connect]
    env: { CISCO_VPN_USERNAME: alice }
    ${common}    expect:
      stdout: /connected as bob/ # STDOUT-FAILS
  - name: users
    scripts: quick
    events: [connect]
    ${common}    matrix:
      - { name: alice, env: { CISCO_VPN_USERNAME: alice } }
      - { name: bob, env: { CISCO_VPN_USERNAME: bob } }
    expect:
      stdout: connected as \${CISCO_VPN_USERNAME}
      commands: ['logger "up \${CISCO_VPN_USERNAME}"']
`;

const sandboxed = `tests:
  - name: state passes
    family: anyconnect
    scripts: routes
    events: [connect, disconnect]
    isolation: sandbox
    gap: 0
    expect:
      restored: false
      connect:
        state:
          routes: [192.168.100.0/24 via 10.0.0.1 dev tun0]
          files: [created /etc/hooksmith-test.conf]
      disconnect:
        state:
          routes: { absent: [192.168.100.0/24 *] }
  - name: state fails
    family: anyconnect
    scripts: routes
    events: [connect, disconnect]
    isolation: sandbox
    gap: 0
    expect:
      restored: true # RESTORED-FAILS
      connect:
        state:
          routes: { absent: [192.168.100.0/24 *] } # ABSENT-FAILS
  - name: state of a shimmed command
    family: anyconnect
    scripts: quick
    events: [connect]
    isolation: sandbox
    expect:
      connect:
        state:
          routes: [192.168.100.0/24 via 10.0.0.1 dev tun0]
  - name: state of a shimmed command that failed
    family: anyconnect
    scripts: offlink
    events: [connect]
    isolation: sandbox
    expect:
      connect:
        state:
          routes: [192.168.100.0/24 *] # SHIMMED-FAILS
`;

before(() => {
  hook('quick/OnConnect.sh', [
    'echo "connected as $CISCO_VPN_USERNAME"',
    'echo "warning: slow link" >&2',
    'ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0',
    'logger "up $CISCO_VPN_USERNAME"',
  ]);
  hook('quick/OnDisconnect.sh', ['ip route del 192.168.100.0/24', 'exit 3']);
  hook('slow/OnConnect.sh', ['sleep 30']);
  hook('slow/OnDisconnect.sh', ['echo bye']);
  hook('routes/OnConnect.sh', ['/usr/sbin/ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0', 'echo x > /etc/hooksmith-test.conf']);
  hook('routes/OnDisconnect.sh', ['/usr/sbin/ip route del 192.168.100.0/24']);
  hook('offlink/OnConnect.sh', ['ip route add 192.168.100.0/24 via 10.9.9.9 dev tun0', 'exit 0']);
  write('kinds.hooktest.yaml', kinds);
  write('sandbox/hooksmith.test.yaml', sandboxed.replace(/scripts: (routes|quick|offlink)/g, 'scripts: ../$1'));
});

suite('hooksmith test, end to end', () => {
  let results: ResultJson[];
  const result = (name: string) => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `no result for ${name}: ${results.map((x) => x.name).join(', ')}`);
    return r;
  };
  /** The one failure of a failing test: at the line marked in the spec, with its message. */
  const failsAt = (name: string, marker: string, message: RegExp, file = 'kinds.hooktest.yaml') => {
    const r = result(name);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    const f = r.failures.find((x) => x.line === lineOf(file, marker));
    assert.ok(f, `no failure at ${marker} (line ${lineOf(file, marker)}): ${JSON.stringify(r.failures)}`);
    assert.match(f.message, message);
    return f;
  };

  test('--json: every expectation kind passes where it holds and fails where it does not, at its line; exit 1', () => {
    const r = hooksmith('kinds.hooktest.yaml', 'sandbox', '--json');
    assert.equal(r.status, 1, r.stderr);
    results = jsonOf<{ results: ResultJson[] }>(r).results;
    for (const name of [
      'exit passes',
      'timeout passes',
      'next event passes',
      'duration passes',
      'commands pass',
      'output passes',
      'users [alice]',
      'users [bob]',
      'state passes',
      'state of a shimmed command',
    ]) {
      assert.equal(result(name).status, 'passed', `${name}: ${JSON.stringify(result(name).failures)}`);
    }
    const exit = failsAt('exit fails', 'EXIT-FAILS', /^disconnect: exit status 3$/);
    assert.equal(exit.expected, 'exit status 0');
    failsAt('timeout fails', 'TIMEOUT-FAILS', /^timed out$/);
    failsAt('next event fails', 'NEXT-FAILS', /^connect: killed by the next event$/);
    assert.match(failsAt('duration fails', 'DURATION-FAILS', /^connect: took \d+ ms$/).expected, /^under 100 ms$/);
    const contains = failsAt('commands fail', 'CONTAINS-FAILS', /^connect: no command matches ip route add 10\.0\.0\.0\/8 \*$/);
    assert.deepEqual(contains.context, ['  1  ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0', '  2  logger "up root"']);
    failsAt('commands fail', 'ORDER-FAILS', /no command matches ip route add \* after the previous ones \(it came earlier\)/);
    failsAt('commands fail', 'NOT-FAILS', /^connect: command 1 matches ip route \*$/);
    assert.equal(result('commands fail').failures.length, 3);
    assert.equal(failsAt('output fails', 'STDOUT-FAILS', /^stdout does not match \/connected as bob\/$/).actual, '"connected as alice\\n"');
    const restored = failsAt('state fails', 'RESTORED-FAILS', /differs from the state before connect/, 'sandbox/hooksmith.test.yaml');
    assert.deepEqual(restored.context, ['+ files: created /etc/hooksmith-test.conf']);
    const absent = failsAt(
      'state fails',
      'ABSENT-FAILS',
      /^connect: routes still has 192\.168\.100\.0\/24 via 10\.0\.0\.1 dev tun0$/,
      'sandbox/hooksmith.test.yaml',
    );
    assert.ok(absent.context.includes('  + 192.168.100.0/24 via 10.0.0.1 dev tun0'), absent.context.join('\n'));
    // In the sandbox the shim ran ip for real: a route it could not add is not there, and the failure shows ip's exit status.
    const shimmed = failsAt(
      'state of a shimmed command that failed',
      'SHIMMED-FAILS',
      /^connect: routes has no line matching 192\.168\.100\.0\/24 \*$/,
      'sandbox/hooksmith.test.yaml',
    );
    const hint = shimmed.context.findIndex((l) => l.startsWith('recorded by the shims (in the sandbox the network tools ran there'));
    assert.ok(hint >= 0, shimmed.context.join('\n'));
    assert.equal(shimmed.context[hint + 1], '  ip route add 192.168.100.0/24 via 10.9.9.9 dev tun0 (exit 2)');
  });

  test('the text report: PASS/FAIL per test, the failing expectation at file:line:column, expected vs actual, the command list', () => {
    const r = hooksmith('kinds.hooktest.yaml', '--filter', 'commands fail');
    assert.equal(r.status, 1, r.stderr);
    const line = lineOf('kinds.hooktest.yaml', 'CONTAINS-FAILS');
    assert.match(r.stdout, /^kinds\.hooktest\.yaml\n {2}FAIL {2}commands fail \(\d+ ms\)\n/);
    assert.ok(
      r.stdout.includes(
        `        kinds.hooktest.yaml:${line}:22: connect: no command matches ip route add 10.0.0.0/8 *\n          ` +
          `expected: ip route add 10.0.0.0/8 *\n          actual:   2 command(s), none matching\n            1  ip route ` +
          `add 192.168.100.0/24 via 10.0.0.1 dev tun0\n            2  logger "up root"\n`,
      ),
      r.stdout,
    );
    assert.match(r.stdout, /\n1 test\(s\): 0 passed, 1 failed \(/);
  });

  test('--filter runs only the matching tests; all passing is exit 0', () => {
    const r = hooksmith('.', '--filter', 'passes');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/ PASS /g) ?? []).length, 6, r.stdout);
    assert.doesNotMatch(r.stdout, /FAIL/);
  });

  test('a bad spec: its HS8xx errors as file:line:column, exit 2, and the other tests still run', () => {
    write(
      'bad/broken.hooktest.yaml',
      'tests:\n  - name: broken\n    family: anyconnect\n    scripts: nowhere\n    events: [connect]\n    expect: { exit: 0 }\n',
    );
    write(
      'bad/good.hooktest.yaml',
      'tests:\n  - name: good\n    family: anyconnect\n    scripts: ../quick\n    events: [connect]\n    isolation: ' +
        'shims\n    expect: { exit: 0 }\n',
    );
    const r = hooksmith('bad');
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^bad\/broken\.hooktest\.yaml:4:14: error: nowhere does not exist \(looked for .*\)\. \[HS805\]$/m);
    assert.match(r.stdout, / PASS {2}good /);
  });

  test('usage errors and no specs: exit 2 with the reason', () => {
    assert.equal(hooksmith('--reporter', 'tap').status, 2);
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    const r = hooksmith(empty);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no spec files \(\*\.hooktest\.yaml, hooksmith\.test\.yaml\)/);
  });

  test('--reporter junit: valid against the JUnit XML schema CI tools read (xmllint), with each failure and its message', () => {
    const r = hooksmith('kinds.hooktest.yaml', '--reporter', 'junit', '--filter', 'output');
    assert.equal(r.status, 1, r.stderr);
    const xml = write('junit.xml', r.stdout);
    const check = spawnSync('xmllint', ['--noout', '--schema', path.join(repoRoot, 'test/fixtures/junit/JUnit.xsd'), xml], {
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        String.raw`<testsuite name="kinds\.hooktest\.yaml" package="hooksmith" id="0" timestamp="[^"]+" hostname="[^"]+" ` +
          String.raw`tests="2" failures="1" errors="0"`,
      ),
    );
    assert.match(
      r.stdout,
      new RegExp(
        String.raw`<testcase name="output fails" classname="kinds\.hooktest" time="[\d.]+">\s*` +
          String.raw`<failure message="stdout does not match \/connected as bob\/" type="expectation">` +
          String.raw`kinds\.hooktest\.yaml:\d+:\d+\nexpected: \/connected as bob\/\nactual: {3}&quot;connected as alice\\n&quot;`,
      ),
    );
    assert.match(r.stdout, /<system-out>== output passes\nconnected as alice\n== output fails\nconnected as alice\n<\/system-out>/);
  });
});
