import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../../helpers/hooks';

needsShellParser();

const dir = '/opt/cisco/secureclient/vpn/script';
const onConnect = (source: string, folder: Record<string, string> = {}) =>
  lintInMemory({ path: `${dir}/OnConnect_routes.sh`, source, folder });

suite('AnyConnect content rules', () => {
  test("the seed's pair of scripts raises nothing", () => {
    const connect =
      '#!/bin/bash\n# OnConnect_routes.sh\nip route add 192.168.100.0/24 via 10.0.0.1 dev tun0\nlogger "VPN: Added static routes"\n';
    const disconnect = '#!/bin/bash\n# OnDisconnect_cleanup.sh\nip route del 192.168.100.0/24\nlogger "VPN: Removed static routes"\n';
    const findings = onConnect(connect, { 'OnDisconnect_cleanup.sh': disconnect });
    assert.deepEqual(findings, [], describe(findings));
  });

  test('HS450: an unknown CISCO_VPN_ variable suggests the real one', () => {
    const source = '#!/bin/sh\nlogger "user $«CISCO_VPN_USER»"\n';
    assert.match(assertOneAt(onConnect(source), 'HS450', source).message, /did you mean CISCO_VPN_USERNAME\?/);
  });

  test('HS450: variables the script sets itself are not reported', () => {
    assert.deepEqual(codes(onConnect('#!/bin/sh\nCISCO_VPN_LOG=/tmp/vpn.log\necho up >> "$CISCO_VPN_LOG"\n')), []);
  });

  test('HS451: the test command too', () => {
    const source = '#!/bin/sh\ntest "$CISCO_VPN_EVENT" = «reconnect» && logger x\n';
    assertOneAt(onConnect(source), 'HS451', source);
  });

  test("HS452: an undo in a file Cisco's client never runs (ondisconnect_x.sh) does not count", () => {
    const source = '#!/bin/sh\n«ip route add 10.8.0.0/16 dev tun0»\n';
    assertOneAt(onConnect(source, { 'ondisconnect_x.sh': '#!/bin/sh\nip route del 10.8.0.0/16\n' }), 'HS452', source);
  });

  test('HS451: CISCO_VPN_EVENT compared with a value never sent, in a test and in a case', () => {
    const test1 = '#!/bin/sh\nif [ "$CISCO_VPN_EVENT" = «reconnect» ]; then logger x; fi\n';
    assertOneAt(onConnect(test1), 'HS451', test1);
    const test2 = '#!/bin/sh\ncase "$CISCO_VPN_EVENT" in\n  connect) logger up ;;\n  «up») logger up ;;\nesac\n';
    assertOneAt(onConnect(test2), 'HS451', test2);
    assert.deepEqual(codes(onConnect('#!/bin/sh\n[ "$CISCO_VPN_EVENT" = "connect" ] && logger up\n')), []);
  });

  test('HS452: a route added on connect and never removed, with the undo command as fix', () => {
    const source = '#!/bin/sh\n«ip route add 10.8.0.0/16 via 10.0.0.1 dev tun0»\n';
    const f = assertOneAt(onConnect(source, { 'OnDisconnect_x.sh': '#!/bin/sh\nip route del 192.168.1.0/24\n' }), 'HS452', source);
    assert.match(f.message, /add "ip route del 10\.8\.0\.0\/16" to the OnDisconnect hook/);
    assert.deepEqual(f.fix, { kind: 'undo', command: 'ip route del 10.8.0.0/16', event: 'OnDisconnect' });
  });

  test('HS452: route (macOS and Linux), mount, mount_smbfs and net use, each with its undo', () => {
    const cases: [string, string][] = [
      ['route -n add -net 10.1.0.0/16 10.0.0.1', 'route -n delete 10.1.0.0/16'],
      ['route add -net 10.2.0.0/16 gw 10.0.0.1', 'route del 10.2.0.0/16'],
      ['mount -t cifs //fs/share /mnt/share -o user=jdoe', 'umount /mnt/share'],
      ['mount_smbfs //jdoe@fs/share /Volumes/share', 'umount /Volumes/share'],
      ['net use Z: \\\\\\\\fs\\\\share /persistent:no', 'net use Z: /delete /yes'],
    ];
    for (const [add, undo] of cases) {
      const findings = onConnect(`#!/bin/sh\n${add}\n`).filter((f) => f.code === 'HS452');
      assert.equal(findings.length, 1, add);
      assert.equal(findings[0].fix?.kind === 'undo' && findings[0].fix.command, undo, add);
      const undone = onConnect(`#!/bin/sh\n${add}\n`, { 'OnDisconnect_x.sh': `#!/bin/sh\n${undo}\n` });
      assert.deepEqual(codes(undone), [], `${add} is undone by ${undo}`);
    }
  });

  test('HS452 is not raised for OnDisconnect hooks', () => {
    const findings = lintInMemory({ path: `${dir}/OnDisconnect_x.sh`, source: '#!/bin/sh\nip route add 10.0.0.0/8 dev eth0\n' });
    assert.deepEqual(codes(findings), []);
  });

  test('HS460: a shell syntax error, at the place the parser gave up', () => {
    const findings = onConnect('#!/bin/sh\nif [ -n "$CISCO_VPN_IP" ]; then\n  logger up\n');
    assert.deepEqual(codes(findings), ['HS460']);
  });

  test('content rules skip non-shell hooks', () => {
    const findings = lintInMemory({ path: `${dir}/OnConnect_x.pl`, source: '#!/usr/bin/perl\nmy $x = $ENV{CISCO_VPN_USER};\n' });
    assert.deepEqual(codes(findings), []);
  });
});
