import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Recognized } from '../../../server/src/families/family';
import { recognizeHook } from '../../../server/src/families/registry';
import { hookCompletions } from '../../../server/src/hooks/completion';

const hook = (file: string): Recognized => {
  const r = recognizeHook(file, [file.split('/').pop() as string, 'shorewall.conf']);
  assert.ok(r, `${file} is a hook`);
  return r;
};
const at = (source: string, file: string) => {
  const offset = source.indexOf('|');
  return hookCompletions(source.slice(0, offset) + source.slice(offset + 1), offset, hook(file));
};

test('$CISCO_ in an AnyConnect hook: the four variables, with meaning and example value, replacing the name typed', () => {
  const source = '#!/bin/sh\nlogger "VPN up for $CISCO_|"\n';
  const items = at(source, '/vpn/script/OnConnect_routes.sh');
  assert.deepEqual(
    items.map((i) => i.label),
    ['CISCO_VPN_USERNAME', 'CISCO_VPN_SERVER', 'CISCO_VPN_IP', 'CISCO_VPN_EVENT'],
  );
  assert.deepEqual([items[0].start, items[0].end], [source.indexOf('CISCO_'), source.indexOf('|')]);
  assert.match(items[0].documentation, /The user who connected[\s\S]*Example value: `jdoe`/);
});

test('in the middle of a word the whole name is replaced; ${ works too', () => {
  const source = 'echo ${CISCO_|VPN_IP}';
  const [item] = at(source, '/vpn/script/OnDisconnect_x.sh');
  assert.deepEqual([item.start, item.end], [source.indexOf('CISCO_'), source.length - 2]);
});

test('Shorewall run-time hooks: COMMAND, CONFDIR, SHAREDIR, VARDIR and run_iptables', () => {
  assert.deepEqual(
    at('case $|', '/etc/shorewall/start').map((i) => i.label),
    ['COMMAND', 'CONFDIR', 'SHAREDIR', 'VARDIR'],
  );
  const [fn] = at('  run_|', '/etc/shorewall/init');
  assert.equal(fn.label, 'run_iptables');
  assert.match(fn.insert, /^run_iptables \$\{1:/);
});

test('compile-time Perl hooks: add_rule, insert_rule, log_rule_limit, and no shell variables', () => {
  assert.deepEqual(
    at('add|', '/etc/shorewall/compile').map((i) => i.label),
    ['add_rule', 'insert_rule', 'log_rule_limit'],
  );
  assert.deepEqual(at('$|', '/etc/shorewall/compile'), []);
});

test('AnyConnect hooks get no Shorewall functions; none right after a quote', () => {
  assert.deepEqual(at('run_|', '/vpn/script/OnConnect_x.sh'), []);
  assert.deepEqual(at('echo "|', '/etc/shorewall/start'), []);
});
