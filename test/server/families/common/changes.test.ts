// The one change table every up/down pairing rule reads: what a command adds, what removes it, and
// the undo a message or quick fix writes. Spellings one family's table knew now pair in all.
import * as assert from 'node:assert/strict';
import { before, describe as suite, test } from 'node:test';
import { Change, ChangeKind, changesMade, changesUndone, isUndone, netChangeKinds } from '../../../../server/src/families/common/changes';
import { loadShellParser, withShellTree } from '../../../../server/src/shell/parser';
import { commands } from '../../../../server/src/shell/walk';

before(() => loadShellParser());

const cmds = (text: string) => withShellTree(text, commands);

/** What `up` adds, of `kinds`, that `down` leaves. */
function left(up: string, down: string, kinds?: readonly ChangeKind[]): Change[] {
  const undone = changesUndone(cmds(down));
  return changesMade(cmds(up), kinds).filter((c) => !isUndone(c, undone));
}

suite('changes: one table for every up/down pairing', () => {
  test('a route quoted on connect and unquoted on disconnect pair up (the client families compared them as written)', () => {
    assert.deepEqual(left('ip route add "$NET" via "$GW" dev tun0', 'ip route del $NET', ['route', 'mount', 'net-use']), []);
    assert.deepEqual(left('mount -t cifs //srv/share "/mnt/share"', 'umount /mnt/share', ['mount']), []);
  });

  test('iptables -w (wait for the lock) is not part of the rule, and -X of the chain removes its rules, for every family', () => {
    assert.deepEqual(left('iptables -w -A FORWARD -i tun0 -j ACCEPT', 'iptables -D FORWARD -w 5 -i tun0 -j ACCEPT', ['iptables']), []);
    assert.deepEqual(left('iptables -A VPN -j ACCEPT', 'iptables -F VPN; iptables -X VPN', ['iptables']), []);
    assert.deepEqual(
      left('iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -j MASQUERADE', 'iptables -t nat -D POSTROUTING -j MASQUERADE').map(
        (c) => c.undo,
      ),
      ['iptables -t nat -D POSTROUTING -s 10.8.0.0/24 -j MASQUERADE'],
    );
  });

  test('each change says what it adds as a noun and as a sentence, with the command that undoes it', () => {
    const made = changesMade(
      cmds(
        [
          'ip route add 10.20.0.0/16 dev tun0',
          'route -n add 10.30.0.0/16 10.0.0.1',
          'ip rule add from 10.8.0.0/24 table 100',
          'ipset add vpn-users 10.8.0.2',
          'ip addr add 10.8.0.42/32 dev lo',
          'ip addr add 10.8.0.43/32 dev "$TUNDEV"',
          'mount_smbfs //u@srv/share /Volumes/share',
          'net use Z: \\\\srv\\share',
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      made.map((c) => [c.kind, c.what, c.done, c.undo]),
      [
        ['route', 'route 10.20.0.0/16', 'Route 10.20.0.0/16 added', 'ip route del 10.20.0.0/16'],
        ['route-macos', 'route 10.30.0.0/16', 'Route 10.30.0.0/16 added', 'route -n delete 10.30.0.0/16'],
        [
          'rule',
          'routing rule "from 10.8.0.0/24 table 100"',
          'Policy rule from 10.8.0.0/24 table 100 added',
          'ip rule del from 10.8.0.0/24 table 100',
        ],
        ['ipset', 'ipset entry in vpn-users', 'ipset entry 10.8.0.2 added to vpn-users', 'ipset del vpn-users 10.8.0.2'],
        ['address', 'address 10.8.0.42/32 on lo', 'Address 10.8.0.42/32 added to lo', 'ip addr del 10.8.0.42/32 dev lo'],
        ['mount', 'mount on /Volumes/share', '/Volumes/share mounted', 'umount /Volumes/share'],
        ['net-use', 'drive Z: mapping', 'Drive Z: mapped', 'net use Z: /delete /yes'],
      ],
      'the address on the tunnel device goes with the device: no change',
    );
    assert.deepEqual(
      made.filter((c) => netChangeKinds.includes(c.kind)).map((c) => c.kind),
      ['route', 'route-macos', 'rule', 'ipset', 'address'],
    );
  });

  test('a command named like a property of every object is no change (the table is looked up by name)', () => {
    assert.deepEqual(changesMade(cmds('constructor add x y\ntoString a b\n__proto__ c d')), []);
  });
});
