/** The family's snippets (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

export const openvpnSnippets: readonly FamilySnippet[] = [
  {
    language: 'shellscript',
    name: 'OpenVPN: up/down script with routes and DNS',
    prefix: 'openvpn-updown',
    description:
      'One script for up and down (script-security 2): a route through the tunnel and the pushed DNS server, removed ' +
      'with the same spec on down; OpenVPN appends dev tun_mtu 0 ifconfig_local ifconfig_netmask init|restart',
    body: [
      '#!/bin/sh',
      '# OpenVPN execs this without a shell; its own arguments come after yours: $1 dev ... $6 init|restart.',
      '# With user/group set, down runs as that user (with down-pre too): the down-root plugin runs it as root.',
      'case "\\$script_type" in',
      '\tup)',
      '\t\tip route add ${1:10.20.0.0/16} via "\\$route_vpn_gateway" dev "\\$dev" || exit 1',
      '\t\tfor opt in \\$(env | sed -n "s/^foreign_option_[0-9]*=dhcp-option DNS //p"); do',
      '\t\t\tprintf "nameserver %s\\\\n" "\\$opt"',
      '\t\tdone | resolvconf -a "\\$dev.openvpn" || exit 1',
      '\t\t;;',
      '\tdown)',
      '\t\tip route del ${1:10.20.0.0/16} via "\\$route_vpn_gateway" dev "\\$dev"',
      '\t\tresolvconf -d "\\$dev.openvpn"',
      '\t\t;;',
      'esac',
      'exit 0',
    ],
  },
  {
    language: 'shellscript',
    name: 'OpenVPN: client-connect / learn-address firewall rule',
    prefix: 'openvpn-learn-address',
    description:
      "learn-address op addr [cn]: a FORWARD rule for the client's tunnel address, added on add/update and removed " +
      'with the same spec on delete (no cn on delete)',
    body: [
      '#!/bin/sh',
      'op="\\$1"; addr="\\$2"',
      'case "\\$op" in',
      '\tadd|update)',
      '\t\tiptables -D FORWARD -s "\\$addr" -d ${1:10.20.0.0/16} -j ACCEPT 2>/dev/null',
      '\t\tiptables -A FORWARD -s "\\$addr" -d ${1:10.20.0.0/16} -j ACCEPT || exit 1',
      '\t\t;;',
      '\tdelete)',
      '\t\tiptables -D FORWARD -s "\\$addr" -d ${1:10.20.0.0/16} -j ACCEPT',
      '\t\t;;',
      'esac',
      'exit 0',
    ],
  },
];
