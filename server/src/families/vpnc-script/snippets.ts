/** The family's snippets, by editor language (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

export const vpncSnippets: readonly FamilySnippet[] = [
  {
    language: 'shellscript',
    name: 'vpnc-script: split-include wrapper',
    prefix: 'vpnc-wrapper',
    description:
      "A vpnc-script wrapper: replaces the gateway's split includes with your networks, then runs the stock script for every reason",
    body: [
      '#!/bin/sh',
      '# openconnect --script ${TM_FILEPATH:/etc/openconnect/vpnc-script-split}: routes only the networks below through the tunnel.',
      '# Every reason (pre-init, connect, attempt-reconnect, reconnect, disconnect) goes on to the stock script.',
      'case "\\$reason" in',
      '\tconnect|reconnect)',
      '\t\ti=0',
      '\t\twhile [ "\\$i" -lt "\\${CISCO_SPLIT_INC:-0}" ]; do',
      '\t\t\tfor field in ADDR MASK MASKLEN PROTOCOL SPORT DPORT; do unset "CISCO_SPLIT_INC_\\${i}_\\$field"; done',
      '\t\t\ti=\\$((i + 1))',
      '\t\tdone',
      '\t\t# Split includes are numbered from 0.',
      '\t\texport CISCO_SPLIT_INC=1',
      '\t\texport CISCO_SPLIT_INC_0_ADDR=${1:10.20.0.0}',
      '\t\texport CISCO_SPLIT_INC_0_MASK=${2:255.255.0.0}',
      '\t\texport CISCO_SPLIT_INC_0_MASKLEN=${3:16}',
      '\t\t;;',
      'esac',
      'exec ${4:/usr/share/vpnc-scripts/vpnc-script}',
      '$0',
    ],
  },
  {
    language: 'shellscript',
    name: 'vpnc-script: hook-folder file',
    prefix: 'vpnc-hook',
    description:
      'A file for /etc/vpnc/<hook>.d/: sourced by the stock vpnc-script (return, not exit; no #! needed); -I in ' +
      'connect.d, -D in disconnect.d',
    body: [
      '# Sourced by the stock vpnc-script with the other files of this folder, in glob order:',
      "# it runs in the script's own sh, so use return (exit would end the whole script).",
      '[ -n "\\$TUNDEV" ] || return 0',
      'iptables ${1|-I,-D|} OUTPUT -d ${2:10.20.0.0/16} ! -o "\\$TUNDEV" -j REJECT',
      '$0',
    ],
  },
];
