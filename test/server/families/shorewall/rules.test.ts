import * as assert from 'node:assert/strict';
import { describe as suite, test, TestContext } from 'node:test';
import { recognizeHook } from '../../../../server/src/families/registry';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../../helpers/hooks';
import { costGrowth } from '../../../helpers/scaling';

needsShellParser();

const hook = (name: string, source: string, mode = 0o644, folder: Record<string, string> = { 'shorewall.conf': 'STARTUP_ENABLED=Yes\n' }) =>
  lintInMemory({ path: `/etc/shorewall/${name}`, source, mode, folder });

suite('Shorewall recognition', () => {
  test('hooks in a shorewall folder or beside shorewall.conf; config files are not hooks', () => {
    assert.equal(recognizeHook('/etc/shorewall/start', ['start'])?.hook.name, 'start');
    assert.equal(recognizeHook('/etc/shorewall6-lite/isusable', ['isusable'])?.hook.name, 'isusable');
    assert.equal(recognizeHook('/srv/fw/stopped', ['stopped', 'shorewall.conf'])?.hook.name, 'stopped');
    assert.equal(recognizeHook('/srv/fw/stopped', ['stopped']), undefined, 'no shorewall folder, no conf');
    assert.equal(recognizeHook('/srv/fw/stopped', ['stopped'], { '/srv/fw': 'shorewall' })?.hook.name, 'stopped', 'mapped by setting');
    assert.equal(recognizeHook('/var/lib/shorewall/restore', ['restore', 'firewall']), undefined, 'the state folder');
    for (const config of ['rules', 'policy', 'zones', 'interfaces', 'nat', 'params', 'shorewall.conf']) {
      assert.equal(recognizeHook(`/etc/shorewall/${config}`, [config]), undefined, config);
    }
  });
});

suite('Shorewall naming rules', () => {
  test('HS420: near misses, letter case and extensions, with a rename fix', () => {
    const cases: [string, string][] = [
      ['stoped', 'stopped'],
      ['Started', 'started'],
      ['isuseable', 'isusable'],
      ['init.sh', 'init'],
    ];
    for (const [name, to] of cases) {
      const source = '«# hook»\nlogger x\n';
      const f = assertOneAt(hook(name, source), 'HS420', source);
      assert.deepEqual(f.fix, { kind: 'rename', to }, name);
    }
  });

  test('HS421: maclog and per-chain scripts were removed in 5.1.0', () => {
    const source = '«# old»\n1;\n';
    assertOneAt(hook('maclog', source), 'HS421', source);
    assertOneAt(hook('net2fw', source), 'HS421', source);
  });

  test('HS422: compile and initdone must be Perl', () => {
    const source = '«#!/bin/sh»\niptables -A INPUT -j ACCEPT\n';
    assertOneAt(hook('compile', source), 'HS422', source);
    assertOneAt(hook('initdone', source), 'HS422', source);
  });

  test('HS430: a root hook writable by others', () => {
    const source = '«# start»\nreturn 0\n';
    assert.match(assertOneAt(hook('start', source, 0o666), 'HS430', source).message, /runs as root/);
  });
});

suite('Shorewall content rules', () => {
  test('correct run-time and compile-time hooks raise nothing', () => {
    const findings = [
      ...hook('start', '# Allow the VPN\nrun_iptables -A INPUT -i tun0 -j ACCEPT\nreturn 0\n'),
      ...hook(
        'isusable',
        'case $1 in\n    eth0)\n        ping -c 4 -t 1 -I eth0 206.124.146.254 > /dev/null 2>&1\n        return\n       ' +
          ' ;;\n    *)\n        return 0\n        ;;\nesac\n',
      ),
      ...hook('compile', 'use Shorewall::Chains;\n\nadd_rule $filter_table->{INPUT}, "-p tcp --dport 22 -j ACCEPT";\n\n1;\n'),
      ...hook('lib.private', 'probe() {\n  ping -c 1 "$1" >/dev/null 2>&1\n}\n'),
    ];
    assert.deepEqual(findings, [], describe(findings));
  });

  test('HS440: exit at the top level ends the firewall script; not inside a function or subshell', () => {
    const source = 'if ! modprobe xt_recent; then\n  «exit» 1\nfi\n';
    const f = assertOneAt(hook('start', source), 'HS440', source);
    assert.deepEqual(f.fix, { kind: 'replace', with: 'return' });
    assert.deepEqual(codes(hook('start', 'helper() { exit 1; }\n( exit 2 )\nfalse | exit\n')), []);
  });

  test('HS440: exit in a function of the hook that the hook calls', () => {
    const source = 'check() { ip link show eth1 >/dev/null 2>&1 || «exit» 0; }\ncheck\n';
    assert.match(assertOneAt(hook('start', source), 'HS440', source).message, /exit in check\(\), which this hook calls/);
  });

  test('HS441: a shebang is only a comment (information)', () => {
    const source = '«#!/bin/sh»\nreturn 0\n';
    assert.equal(assertOneAt(hook('init', source), 'HS441', source).severity, 'information');
  });

  test('HS442: run_iptables in started or restored', () => {
    const source = '«run_iptables» -A INPUT -j ACCEPT\n';
    assertOneAt(hook('started', source), 'HS442', source);
    assertOneAt(hook('restored', source), 'HS442', source);
  });

  test('HS443: bare iptables in a run-time hook suggests run_iptables; not in started', () => {
    const source = '«iptables» -A INPUT -i tun0 -j ACCEPT\n';
    const f = assertOneAt(hook('start', source), 'HS443', source);
    assert.deepEqual(f.fix, { kind: 'replace', with: 'run_iptables' });
    assert.deepEqual(codes(hook('started', 'iptables -A INPUT -j ACCEPT\n')), []);
    const full = '«/sbin/iptables» -A INPUT -j ACCEPT\n';
    assertOneAt(hook('start', full), 'HS443', full);
  });

  test('HS444: log_rule_limit in a shell hook', () => {
    const source = '«log_rule_limit» info INPUT INPUT ACCEPT "" "" -p tcp\n';
    assertOneAt(hook('start', source), 'HS444', source);
  });

  test('HS445: isusable without a default path', () => {
    const source = '«case» $1 in\n  eth0) ping -c1 -I eth0 192.0.2.1 >/dev/null ;;\nesac\n';
    assertOneAt(hook('isusable', source), 'HS445', source);
    const ifSource = '«if» ping -c1 -I "$1" 192.0.2.1; then\n  return 0\nfi\n';
    assert.match(assertOneAt(hook('isusable', ifSource), 'HS445', ifSource).message, /the if returns 0/);
  });

  test('HS446: a compile-time hook that does not end with a true value', () => {
    const source = 'use Shorewall::Chains;\nadd_rule $filter_table->{INPUT}, "-j ACCEPT";\n«0;»\n# done\n';
    assertOneAt(hook('compile', source), 'HS446', source);
    const noReturn = 'use Shorewall::Chains;\n«add_rule $filter_table->{INPUT}, "-j ACCEPT";»\n';
    assertOneAt(hook('initdone', noReturn), 'HS446', noReturn);
  });

  test('HS446 quotes a short last line whole and a long one cut to 40 characters', () => {
    const short = assertOneAt(hook('compile', 'use Shorewall::Chains;\n«0;»\n'), 'HS446', 'use Shorewall::Chains;\n«0;»\n');
    assert.match(short.message, /ends with "0;"/);
    const long = `«add_rule $filter_table->{INPUT}, '-j ACCEPT' ${'x'.repeat(5000)};»\n`;
    const clipped = assertOneAt(hook('compile', long), 'HS446', long);
    assert.ok(clipped.message.includes(`ends with "${"add_rule $filter_table->{INPUT}, '-j ACCEPT'".slice(0, 37)}..."`), clipped.message);
    assert.ok(clipped.message.length < 200, clipped.message);
  });
});

suite('Shorewall rules on long runs of blanks (found by fuzzing: regular expressions that backtracked quadratically)', () => {
  /** One blank costs about as much in a long run as in a short one: the cost grows with the text, not with its square. */
  const linearIn = (t: TestContext, source: (blanks: number) => string): void => {
    const growth = costGrowth((blanks) => void hook('compile', source(blanks)), 2_000, 32_000, 256_000);
    t.diagnostic(`a blank costs ${growth.toFixed(2)} times as much among 32,000 as among 2,000`);
    assert.ok(growth < 4, `a blank costs ${growth.toFixed(1)} times as much among 32,000 as among 2,000`);
  };

  test('HS446: a last line with 100,000 blanks and no comment (80,000 took 4.8 s)', (t) => {
    const source = (blanks: number) => `use Shorewall::Chains;\nadd_rule( $c, '-j ACCEPT' );${' '.repeat(blanks)}x\n`;
    assert.deepEqual(codes(hook('compile', source(100_000))), ['HS446']);
    linearIn(t, source);
  });

  test('HS422: shell after 100,000 blank lines is still not Perl (80,000 took 19 s)', (t) => {
    const source = (blanks: number) => `${'\n'.repeat(blanks)}iptables -A INPUT -j ACCEPT\n`;
    assert.deepEqual(codes(hook('compile', source(100_000))), ['HS422', 'HS446']);
    linearIn(t, source);
  });
});
