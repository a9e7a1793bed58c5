import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { scriptArguments } from '../../../../server/src/families/vpnc-script/launchers';

suite('the scripts a launcher gives openconnect with --script / -s', () => {
  test('openconnect in any command of a pipeline or a list: the password piped in, a check before it', () => {
    assert.deepEqual(scriptArguments('#!/bin/sh\ncat /etc/vpn/pass | openconnect --passwd-on-stdin --script /etc/vpnc/split gw\n'), [
      '/etc/vpnc/split',
    ]);
    assert.deepEqual(scriptArguments('echo "$PASS" | sudo openconnect -b --script=/etc/vpnc/a gw && logger up; openconnect -s b gw2\n'), [
      '/etc/vpnc/a',
      'b',
    ]);
    assert.deepEqual(scriptArguments('openconnect --script x gw 2>&1 | logger -t vpn\n'), ['x']);
  });

  test("a unit's Exec line that runs openconnect through sh -c, as units do to read a password file", () => {
    const unit =
      '[Service]\nExecStart=/bin/sh -c \'exec /usr/sbin/openconnect --script "/etc/vpnc/split 10.0.0.0/8" gw < /etc/vpn/pass\'\n';
    assert.deepEqual(scriptArguments(unit), ['/etc/vpnc/split']);
  });

  test('words that only mention openconnect name nothing: echo, a comment, a quoted argument', () => {
    assert.deepEqual(scriptArguments('echo openconnect --script x gw\n# openconnect --script y gw\nlogger "openconnect --script z"\n'), []);
    assert.deepEqual(scriptArguments('ls # | openconnect --script y gw\n'), []);
  });
});
