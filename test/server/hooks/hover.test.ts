import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { recognizeHook } from '../../../server/src/families/registry';
import { hookCompletions } from '../../../server/src/hooks/completion';
import { hookHover } from '../../../server/src/hooks/hover';
import { costGrowth } from '../../helpers/scaling';

const hover = (file: string, text: string, needle: string) => {
  const r = recognizeHook(file, [file.split('/').pop() as string]);
  assert.ok(r);
  return hookHover(text, text.indexOf(needle) + 1, r);
};

test('an environment variable: its meaning and example value, over the name', () => {
  const text = '#!/bin/sh\nlogger "$CISCO_VPN_SERVER"\n';
  const h = hover('/vpn/script/OnConnect_x.sh', text, 'CISCO_VPN_SERVER');
  assert.match(h?.contents ?? '', /The gateway host name[\s\S]*`vpn\.example\.com`/);
  assert.equal(text.slice(h?.start, h?.end), 'CISCO_VPN_SERVER');
});

test('the first line of a Shorewall hook: when it runs, run time or compile time', () => {
  const runTime = hover('/etc/shorewall/isusable', '# isusable\ncase $1 in *) return 0 ;; esac\n', 'isusable')?.contents ?? '';
  assert.match(runTime, /Run time: pasted into the generated firewall script as a function body/);
  assert.match(runTime, /`shorewall refresh`, `shorewall restart`, `shorewall restore`, `shorewall start`/);
  const compile = hover('/etc/shorewall/compile', 'use Shorewall::Chains;\n1;\n', 'use')?.contents ?? '';
  assert.match(compile, /Compile time: Perl/);
  assert.match(hover('/etc/shorewall/maclog', '# x\n', 'x')?.contents ?? '', /Removed in Shorewall 5\.1\.0/);
});

test('Shorewall functions and variables, and nothing on other words', () => {
  const text = '# start\nrun_iptables -A INPUT\necho $VARDIR\n';
  assert.match(hover('/etc/shorewall/start', text, 'run_iptables')?.contents ?? '', /stops the firewall/);
  assert.match(hover('/etc/shorewall/start', text, 'VARDIR')?.contents ?? '', /Where Shorewall keeps its state/);
  assert.equal(hover('/etc/shorewall/start', text, 'INPUT'), undefined);
});

test("the first line says what the hook's exit status means to what runs it", () => {
  assert.match(
    hover('/etc/shorewall/isusable', '# isusable\nreturn 0\n', 'isusable')?.contents ?? '',
    /Exit status: 0 means the interface is usable; anything else means it is not/,
  );
  assert.match(
    hover('/etc/shorewall/start', '# start\nlogger up\n', 'start')?.contents ?? '',
    /Exit status: not checked by the generated script/,
  );
});

test(
  "a vpnc-script variable: its meaning and the reasons openconnect sets it for; a hook-folder file's first line: " +
    'sourced, for which reason',
  () => {
    const text = 'ip route add "$CISCO_SPLIT_INC_0_ADDR/$CISCO_SPLIT_INC_0_MASKLEN" dev "$TUNDEV"\n';
    const h = hover('/etc/vpnc/post-connect.d/10-routes', text, 'CISCO_SPLIT_INC_0_ADDR');
    assert.match(
      h?.contents ?? '',
      new RegExp(
        String.raw`The address of split-include network 0 \(entries count from 0 to \$CISCO_SPLIT_INC-1\)\.` +
          String.raw` Set for every reason\.[\s\S]*\x6010\.20\.0\.0\x60`,
      ),
    );
    assert.match(
      hover('/etc/vpnc/post-connect.d/10-routes', text, 'TUNDEV')?.contents ?? '',
      /not for pre-init: openconnect opens the device after it\)\. Set for connect, attempt-reconnect, reconnect, disconnect\./,
    );
    assert.match(
      hover('/etc/vpnc/vpnc-script', 'case "$reason" in *) ;; esac\n', 'reason')?.contents ?? '',
      /pre-init \(before the tun device opens\)[\s\S]*Set for every reason\./,
    );
    const first = hover('/etc/vpnc/post-connect.d/10-routes', '# routes\n', 'routes')?.contents ?? '';
    assert.match(first, /Sourced by the stock vpnc-script with "\."/);
    assert.match(first, /`reason=connect`/);
  },
);

test('a hover after a long word costs the same per character at 32 KB as at 2 KB (it was quadratic in the word)', () => {
  const file = '/vpn/script/OnConnect_x.sh';
  const text = (size: number) => `#!/bin/sh\n: ${'x'.repeat(size)}\nlogger "$CISCO_VPN_SERVER"\n`;
  assert.equal(text(32_000).slice(hover(file, text(32_000), 'CISCO')?.start), 'CISCO_VPN_SERVER"\n');
  const growth = costGrowth((size) => hover(file, text(size), 'CISCO'), 2_000, 32_000, 2_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});

test(
  'a NetworkManager lease option without an entry of its own: hover says it is one of DHCP6_<OPTION>; completion ' + "offers no '<OPTION>'",
  () => {
    const file = '/etc/NetworkManager/dispatcher.d/90-ntp';
    const text = '#!/bin/sh\nlogger "$DHCP6_DHCP6_SNTP_SERVERS $DHCP4_NTP_SERVERS $DHCP6_IP6_ADDRESS"\n';
    const v6 = hover(file, text, 'DHCP6_DHCP6_SNTP_SERVERS');
    assert.match(v6?.contents ?? '', /^\*\*\$DHCP6_<OPTION>\*\*[\s\S]*An option of the DHCPv6 lease, its name upper-cased after DHCP6_/);
    assert.equal(text.slice(v6?.start, v6?.end), 'DHCP6_DHCP6_SNTP_SERVERS');
    assert.match(hover(file, text, 'DHCP4_NTP_SERVERS')?.contents ?? '', /An option of the DHCPv4 lease/);
    // A name with an entry of its own keeps it.
    assert.match(hover(file, text, 'DHCP6_IP6_ADDRESS')?.contents ?? '', /The address the DHCPv6 lease gave/);
    const r = recognizeHook(file, ['90-ntp']);
    assert.ok(r);
    const offered = hookCompletions('#!/bin/sh\necho $DHCP', 20, r).map((c) => c.label);
    assert.ok(offered.includes('DHCP6_DHCP6_NAME_SERVERS') && !offered.some((l) => l.includes('<')), offered.join(' '));
  },
);

test("a variable's first line names the product and the hook once", () => {
  const vpnc = hover('/etc/vpnc/vpnc-script', '#!/bin/sh\necho "$TUNDEV"\n', 'TUNDEV')?.contents ?? '';
  assert.match(vpnc, /^\*\*\$TUNDEV\*\* · set by openconnect for the `vpnc-script` hook\n/);
  const cisco = hover('/vpn/script/OnConnect_x.sh', '#!/bin/sh\nlogger "$CISCO_VPN_SERVER"\n', 'CISCO_VPN_SERVER')?.contents ?? '';
  assert.match(cisco, /^\*\*\$CISCO_VPN_SERVER\*\* · set by Cisco's client for the `OnConnect` hook\n/);
});
