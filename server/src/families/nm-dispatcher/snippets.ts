/** The family's snippets, by editor language (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

export const nmSnippets: readonly FamilySnippet[] = [
  {
    language: 'shellscript',
    name: 'NetworkManager dispatcher: script with an action case',
    prefix: 'nm-dispatcher',
    description:
      'A NetworkManager dispatcher script: acts only on its VPN (or interface), adds a route on vpn-up and removes the same route ' +
      'on vpn-down; install it root-owned, mode 0755',
    body: [
      '#!/bin/sh',
      '# /etc/NetworkManager/dispatcher.d/${TM_FILENAME:90-corp-vpn}: $1 is the interface, $2 the action.',
      '# NetworkManager runs it for every action (dhcp4-change, hostname, connectivity-change ...): act on yours only.',
      'iface="\\$1"',
      'action="\\$2"',
      '[ "\\$CONNECTION_ID" = "${1:Corp VPN}" ] || exit 0',
      'case "\\$action" in',
      '\tvpn-up)',
      '\t\tip route add ${2:10.20.0.0/16} dev "\\$iface"',
      '\t\t;;',
      '\tvpn-down)',
      '\t\t# The tunnel may be gone already, and its routes with it.',
      '\t\tip route del ${2:10.20.0.0/16} 2>/dev/null || true',
      '\t\t;;',
      'esac',
      'exit 0',
      '$0',
    ],
  },
];
