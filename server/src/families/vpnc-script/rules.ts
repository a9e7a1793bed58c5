import type { RuleRecord } from '../../diagnostics';

const group = 'vpnc-script content';
const folders =
  '`pre-init.d`, `connect.d`, `post-connect.d`, `disconnect.d`, `post-disconnect.d`, `attempt-reconnect.d`, ' +
  '`post-attempt-reconnect.d`, `reconnect.d`';

/** The family's rules, with their fixes. */
export const vpncRules: readonly RuleRecord[] = [
  {
    code: 'HS550',
    title: 'Dispatch on $reason misses a reason',
    severity: 'warning',
    group,
    summary:
      'A vpnc-script has a `case` (or an `if` / `elif` chain) on `$reason` with no branch for one of `pre-init`, `connect`, ' +
      '`attempt-reconnect`, `reconnect`, `disconnect`, and either a `*)` (`else`) branch that runs `exit` with a status ' +
      'other than 0, or none and no statement after the dispatch.',
  },
  {
    code: 'HS551',
    title: '$REASON instead of $reason',
    severity: 'warning',
    group,
    summary: "A vpnc-script or one of its hook files reads `$REASON` (upper case, ocserv's variable) and does not set it itself.",
    fix: 'replace',
  },
  {
    code: 'HS552',
    title: 'exit in a sourced hook file',
    severity: 'error',
    group,
    summary:
      `A file in one of the stock vpnc-script's hook folders (${folders}) runs \`exit\` in the vpnc-script's shell: ` +
      `at its top level, or inside a function the file defines and calls.`,
    fix: 'replace',
  },
  {
    code: 'HS553',
    title: 'Shebang in a sourced hook file',
    severity: 'hint',
    group,
    summary: `A file in one of the stock vpnc-script's hook folders (${folders}) starts with a \`#!\` line.`,
  },
  {
    code: 'HS554',
    title: 'Hook file redefines a vpnc-script function',
    severity: 'information',
    group,
    summary:
      "A hook-folder file defines a function with the name of one of the stock vpnc-script's own functions " +
      '(`do_connect`, `set_network_route`, `modify_resolvconf_generic`, ...).',
  },
  {
    code: 'HS555',
    title: 'Near miss of an openconnect variable',
    severity: 'warning',
    group,
    summary:
      'A vpnc-script or hook file reads a variable whose name starts with `INTERNAL_IP4_`, `INTERNAL_IP6_`, `CISCO_`, ' +
      '`VPN` or `TUN`, that openconnect never sets and the script does not set, and that is within two edits of one ' +
      'openconnect sets (the entry number of a split variable aside): `INTERNAL_IP4_ADRESS`, ' +
      '`CISCO_SPLIT_INC_0_MASK_LEN`.',
    fix: 'replace',
  },
  {
    code: 'HS556',
    title: 'Split-include loop starts at 1',
    severity: 'warning',
    group,
    summary:
      'A loop bounded by `$CISCO_SPLIT_INC` (or `CISCO_SPLIT_EXC`, `CISCO_IPV6_SPLIT_INC`, `CISCO_IPV6_SPLIT_EXC`) ' +
      'starts its counter at 1: `i=1` before `while [ $i -le ... ]`, `for i in $(seq 1 ...)`, or `for ((i=1; ...))`.',
  },
  {
    code: 'HS557',
    title: 'Change made on connect is never undone on disconnect',
    severity: 'warning',
    group,
    summary:
      'A route (`ip route add`, `route add`) or an address (`ip addr add`) off the tunnel device, an iptables / ip6tables ' +
      'rule (`-A`, `-I`), an ipset entry, or an nft rule or element added for ' +
      "`connect` (the connect branch of a vpnc-script's `case` on `$reason` and the functions it calls, or a file in " +
      '`connect.d` / `post-connect.d`) is not removed for `disconnect` (that branch, or a file in `disconnect.d` / ' +
      '`post-disconnect.d`) with the same specification.',
  },
  {
    code: 'HS558',
    title: 'Disconnect step adds instead of removing',
    severity: 'warning',
    group,
    summary:
      'Where a vpnc-script tears down (its `disconnect` branch, a function named for removal such as `del_rules` or ' +
      '`do_disconnect`, a file in `disconnect.d` / `post-disconnect.d`), an iptables / ip6tables command appends or ' +
      'inserts a rule (`-A`, `-I`), or `ip route add` adds a route.',
    fix: 'replace',
  },
];
