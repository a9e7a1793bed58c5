/** The family's snippets (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

export const ocservSnippets: readonly FamilySnippet[] = [
  {
    language: 'shellscript',
    name: 'ocserv: connect/disconnect script with iptables per user',
    prefix: 'ocserv-iptables',
    description:
      "One script for connect-script and disconnect-script: a FORWARD rule for the user's tunnel address, removed " +
      'with the same spec; host-update left alone',
    body: [
      '#!/bin/sh',
      '# ocserv runs this as root with no arguments; everything is in the environment.',
      '# connect: its exit status admits (0) or refuses the login.',
      'case "\\$REASON" in',
      '\tconnect)',
      '\t\tiptables -A FORWARD -i "\\$DEVICE" -s "\\$IP_REMOTE" -d ${1:10.10.0.0/16} -j ACCEPT || exit 1',
      '\t\tlogger -t ocserv "connect: \\$USERNAME got \\$IP_REMOTE on \\$DEVICE" || true',
      '\t\texit 0',
      '\t\t;;',
      '\tdisconnect)',
      '\t\tiptables -D FORWARD -i "\\$DEVICE" -s "\\$IP_REMOTE" -d ${1:10.10.0.0/16} -j ACCEPT',
      '\t\tlogger -t ocserv "disconnect: \\$USERNAME after \\${STATS_DURATION}s" || true',
      '\t\t;;',
      '\thost-update)',
      '\t\t# The session goes on: nothing to undo here.',
      '\t\t;;',
      'esac',
    ],
  },
  {
    language: 'shellscript',
    name: 'ocserv: connect/disconnect script with an ipset per user',
    prefix: 'ocserv-ipset',
    description:
      "One script for connect-script and disconnect-script: the user's tunnel address in an ipset (a firewall rule " +
      'matches the set), removed on disconnect',
    body: [
      '#!/bin/sh',
      '# A rule such as  iptables -A FORWARD -m set --match-set ${1:vpn-${2:staff}} src -j ACCEPT  matches the set.',
      'case "\\$REASON" in',
      '\tconnect)',
      '\t\tipset add ${1:vpn-${2:staff}} "\\$IP_REMOTE" -exist || exit 1',
      '\t\texit 0',
      '\t\t;;',
      '\tdisconnect)',
      '\t\tipset del ${1:vpn-${2:staff}} "\\$IP_REMOTE" -exist',
      '\t\t;;',
      'esac',
    ],
  },
];
