import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { checkSpec } from '../../../server/src/hooktest/check';
import { instances } from '../../../server/src/hooktest/spec';
import { marked } from '../../helpers/marked';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-spec-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
fs.mkdirSync(path.join(work, 'scripts'));
const specFile = path.join(work, 'vpn.hooktest.yaml');

/** The findings of a spec whose «marked» spans are where each finding must be, in order. */
function expectFindings(source: string, codes: string[], messages: RegExp[] = []) {
  const { text, spans } = marked(source);
  const spec = checkSpec(text, specFile);
  assert.deepEqual(
    spec.findings.map((f) => f.code),
    codes,
    spec.findings.map((f) => `${f.code} ${f.message}`).join('\n'),
  );
  assert.deepEqual(
    spec.findings.map((f) => ({ start: f.start, end: f.end })),
    spans,
    spec.findings.map((f) => JSON.stringify(text.slice(f.start, f.end))).join(', '),
  );
  messages.forEach((m, i) => assert.match(spec.findings[i].message, m));
  return spec;
}

const head = 'tests:\n  - name: t\n    family: anyconnect\n    scripts: scripts\n';

suite('hook test spec checker', () => {
  test("an option's values are no events: nm's stack takes dual or ipv4, and `expect` takes neither; OpenVPN's ops are runs", () => {
    fs.mkdirSync(path.join(work, 'dispatcher.d'), { recursive: true });
    const nm = 'tests:\n  - name: t\n    family: nm-dispatcher\n    dir: dispatcher.d\n    events: [up]\n';
    expectFindings(`${nm}    stack: «ipv6»\n    expect:\n      up: { exit: 0 }\n`, ['HS804'], [/no stack 'ipv6': use dual, ipv4/]);
    expectFindings(`${nm}    stack: ipv4\n    expect:\n      «dual»: { exit: 0 }\n`, ['HS804'], [/no event 'dual'/]);
    const ovpn = 'tests:\n  - name: t\n    family: openvpn\n    script: scripts\n    events: [learn-address]\n';
    const spec = expectFindings(`${ovpn}    learnAddressOps: [add, delete]\n    expect:\n      delete: { exit: 0 }\n`, []);
    assert.deepEqual(spec.tests[0].request.learnAddressOps, ['add', 'delete']);
  });

  test('a good spec: its test, its request (paths made absolute, durations in ms) and located expectations', () => {
    const text =
      `${head}    events: [connect, disconnect]\n    isolation: shims\n    timeout: 5s\n    gap: 250ms\n    env: { ` +
      `CISCO_VPN_USERNAME: alice }\n    expect:\n      exit: 0\n      connect:\n        commands: [ip route add ` +
      `192.168.100.0/24 *]\n        stdout: /up/\n`;
    const spec = checkSpec(text, specFile);
    assert.deepEqual(spec.findings, []);
    const [t] = spec.tests;
    assert.deepEqual(t.request, {
      kind: 'anyconnect',
      scripts: path.join(work, 'scripts'),
      events: ['connect', 'disconnect'],
      env: { CISCO_VPN_USERNAME: 'alice' },
      isolation: 'shims',
      timeoutMs: 5000,
      gapMs: 250,
    });
    assert.deepEqual(
      t.expectations.map((e) => [e.kind, e.event ?? '', text.slice(e.span.start, e.span.end)]),
      [
        ['exit', '', 'exit: 0'],
        ['commands.contains', 'connect', 'ip route add 192.168.100.0/24 *'],
        ['stdout', 'connect', '/up/'],
      ],
    );
  });

  test('YAML that does not parse: HS800 where the parser stopped, and no test', () => {
    const spec = expectFindings('tests:\n  - name: "t\n«»', ['HS800'], [/Not valid YAML/]);
    assert.equal(spec.tests.length, 0);
  });

  test('unknown keys: HS801 on the key, with the nearest known one', () => {
    expectFindings(
      `${head}    events: [connect]\n    «colour»: blue\n    expect:\n      «exti»: 0\n`,
      ['HS801', 'HS801'],
      [/Unknown key 'colour' in a test: use name, family/, /did you mean 'exit'\?/],
    );
  });

  test('wrong types: HS802 on the value', () => {
    expectFindings(
      `${head}    events: [connect]\n    timeout: «soon»\n    expect:\n      exit: «zero»\n      timedOut: «maybe»\n`,
      ['HS802', 'HS802', 'HS802'],
      [/duration/, /whole number from 0 to 255/, /true or false/],
    );
  });

  test('an unknown family: HS803 on the value, naming the families that simulate', () => {
    expectFindings(
      'tests:\n  - name: t\n    family: «strongswan»\n    events: [up-client]\n    expect: { exit: 0 }\n',
      ['HS803'],
      [/'strongswan' is not a family Hooksmith simulates: use anyconnect, shorewall/],
    );
  });

  test("a test without a family: HS807 once, and its family's fields are not called unknown", () => {
    expectFindings(
      'tests:\n  - «»name: t\n    events: [connect]\n    scripts: scripts\n    expect: { exit: 0 }\n',
      ['HS807'],
      [/no `family:` \(.*anyconnect.*\)/],
    );
  });

  test('an event the family does not have: HS804 in its request field and as a key of expect', () => {
    expectFindings(
      `${head}    events: [connect, «disconect»]\n    expect:\n      «bringup»: { exit: 0 }\n`,
      ['HS804', 'HS804'],
      [/^Cisco's client has no event 'disconect': use connect, disconnect, reconnect, update\.$/, /has no event 'bringup'/],
    );
  });

  test('the events come from the family: a Shorewall test may expect of its hooks, not of AnyConnect events', () => {
    fs.mkdirSync(path.join(work, 'fw'), { recursive: true });
    expectFindings(
      'tests:\n  - name: t\n    family: shorewall\n    command: «begin»\n    confdir: fw\n    expect:\n      started: ' +
        '{ exit: 0 }\n      «connect»: { exit: 0 }\n',
      ['HS804', 'HS804'],
      [/^Shorewall has no command 'begin': use start, restart/, /no event 'connect'/],
    );
  });

  test('a path that does not exist: HS805 on the value, relative to the spec', () => {
    expectFindings(
      'tests:\n  - name: t\n    family: anyconnect\n    profile: «nowhere/profile.xml»\n    events: [connect]\n    expect: { exit: 0 }\n',
      ['HS805'],
      [new RegExp(`looked for ${path.join(work, 'nowhere/profile.xml').replace(/[/.]/g, '\\$&')}`)],
    );
  });

  test('bad patterns: HS806 on the pattern', () => {
    expectFindings(
      `${head}    events: [connect]\n    expect:\n      stdout: [ok, «/route (added/»]\n      commands: [«""»]\n`,
      ['HS806', 'HS806'],
      [/not a valid regular expression/, /needs at least the command name/],
    );
  });

  test('no tests: HS807 on the spec', () => {
    expectFindings('««other»: 1»\n', ['HS801', 'HS807'], [/Unknown key 'other' at the top of a spec: use tests\./, /no `tests:`/]);
  });

  test("a test without its family's required field or expect: HS807 at its name", () => {
    expectFindings(
      'tests:\n  - name: ««t»»\n    family: anyconnect\n    scripts: scripts\n',
      ['HS807', 'HS807'],
      [/needs `events:`/, /no `expect:`/],
    );
  });

  test('state or restored without isolation: sandbox: HS808 on the expectation', () => {
    expectFindings(
      `${head}    events: [connect, disconnect]\n    isolation: shims\n    expect:\n      «restored: true»\n      ` +
        `connect:\n        state:\n          routes: [«192.168.100.0/24 *»]\n`,
      ['HS808', 'HS808'],
      [/read in the sandbox only: add `isolation: sandbox` to this test \(it has shims\)/],
    );
  });

  test('two tests with one name: HS809 on the second name', () => {
    const t = 'family: anyconnect\n    scripts: scripts\n    events: [connect]\n    expect: { exit: 0 }\n';
    expectFindings(`tests:\n  - name: same\n    ${t}  - name: «same»\n    ${t}`, ['HS809']);
  });

  test('a request the family refuses (a reserved variable): HS810, and that row is not run', () => {
    const spec = expectFindings(
      `${head}    events: [connect]\n    matrix:\n      - name: fine\n      - «name: bad\n        env: { LD_PRELOAD: ` +
        `/tmp/x.so }»\n    expect: { exit: 0 }\n`,
      ['HS810'],
      [/row bad.*"env" cannot set LD_PRELOAD/],
    );
    assert.equal(spec.tests.length, 0);
  });

  test('a matrix: one instance per row, env merged, request fields set per row, names with the row', () => {
    const spec = checkSpec(
      `${head}    env: { CISCO_VPN_SERVER: vpn.example.net }\n    matrix:\n      - { name: alice, env: { ` +
        `CISCO_VPN_USERNAME: alice }, events: [connect] }\n      - { env: { CISCO_VPN_USERNAME: bob }, events: ` +
        `[disconnect] }\n    expect:\n      commands: ['logger *\${CISCO_VPN_USERNAME}*']\n`,
      specFile,
    );
    assert.deepEqual(spec.findings, []);
    const all = instances(spec.tests[0]);
    assert.deepEqual(
      all.map((i) => i.name),
      ['t [alice]', 't [events=disconnect CISCO_VPN_USERNAME=bob]'],
    );
    assert.deepEqual(
      all.map((i) => [i.request.events, i.vars]),
      [
        [['connect'], { CISCO_VPN_SERVER: 'vpn.example.net', CISCO_VPN_USERNAME: 'alice' }],
        [['disconnect'], { CISCO_VPN_SERVER: 'vpn.example.net', CISCO_VPN_USERNAME: 'bob' }],
      ],
    );
  });

  test('a bad test leaves the good ones runnable', () => {
    const good = `  - name: good\n    family: anyconnect\n    scripts: scripts\n    events: [connect]\n    expect: { exit: 0 }\n`;
    const spec = checkSpec(
      `tests:\n${good}  - name: bad\n    family: anyconnect\n    scripts: scripts\n    events: [connect]\n    expect: { exit: nope }\n`,
      specFile,
    );
    assert.deepEqual(
      spec.tests.map((t) => t.name),
      ['good'],
    );
    assert.deepEqual(
      spec.findings.map((f) => f.code),
      ['HS802'],
    );
  });
});
