import type { RuleRecord } from '../../diagnostics';

const config = 'ocserv.conf';
const scripts = 'ocserv scripts';

/** The family's rules: ocserv.conf's (HS502–HS511) and its scripts' (HS520–HS529). */
export const ocservRules: readonly RuleRecord[] = [
  {
    code: 'HS502',
    title: 'ocserv script key is not an absolute path',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: '`connect-script`, `disconnect-script` or `host-update-script` in `ocserv.conf` is empty or is not an absolute path.',
  },
  {
    code: 'HS503',
    title: 'Key ignored inside a [vhost:...] section',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      '`connect-script`, `disconnect-script`, `host-update-script` or `user-profile` is set inside a `[vhost:...]` ' +
      'section of `ocserv.conf`, where ocserv ignores it.',
  },
  {
    code: 'HS504',
    title: 'ocserv script not found in the workspace',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The script a script key of `ocserv.conf` names is not in the workspace: not at its path under a workspace ' +
      'folder, not through `hooksmith.hooks.serverPaths`, and not by its base name beside `ocserv.conf`.',
  },
  {
    code: 'HS505',
    title: 'ocserv script is not executable',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: 'The script a script key of `ocserv.conf` names was found in the workspace and has no execute bit.',
  },
  {
    code: 'HS506',
    title: 'user-profile not found in the workspace',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The profile `user-profile` names in `ocserv.conf` is not in the workspace (looked up like the scripts; a ' +
      'relative path beside `ocserv.conf`).',
  },
  {
    code: 'HS507',
    title: 'The profile ocserv serves has problems',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The AnyConnect profile `user-profile` names, validated as a profile, has errors or warnings; the finding sits ' +
      'on the value and links to them (an information when there are only warnings).',
  },
  {
    code: 'HS508',
    title: 'Restrictions run the scripts under /bin/sh',
    severity: 'information',
    group: config,
    fileLevel: true,
    summary:
      '`restrict-user-to-routes` is true, or `restrict-user-to-ports` lists ports, in `ocserv.conf`: ocserv-fw then runs ' +
      'the connect and disconnect scripts (not host-update) as `/bin/sh script`.',
  },
  {
    code: 'HS509',
    title: 'Section ocserv does not know',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary: 'A section of `ocserv.conf` is not `[vhost:NAME]`.',
  },
  {
    code: 'HS510',
    title: 'Unknown ocserv key',
    severity: 'information',
    group: config,
    fileLevel: true,
    summary:
      "A key of `ocserv.conf` is not one of ocserv 1.x's (sample.config and the man page); a warning with a replace " +
      'fix when it is within two edits of one.',
    fix: 'replace',
  },
  {
    code: 'HS511',
    title: 'restrict-user-to-ports ocserv cannot parse',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'The value of `restrict-user-to-ports` is not a list ocserv reads (`tcp(443), udp(53), icmp()`, or `!(...)` to ' +
      'deny): ocserv stops at start with "cannot parse restrict-user-to-ports". The finding sits where the parse fails.',
  },
  {
    code: 'HS520',
    title: 'host-update handled as disconnect',
    severity: 'warning',
    group: scripts,
    summary:
      'A script wired as `host-update-script` dispatches on `$REASON` with an `if` on `connect` whose `else` (or `!= ' +
      'connect` branch) runs commands, or a `case` with a `*)` branch that runs commands and no `disconnect` or ' +
      '`host-update` branch, or exits early for connect and then runs commands no test on `$REASON` guards.',
  },
  {
    code: 'HS521',
    title: 'Incidental last command decides the login',
    severity: 'warning',
    group: scripts,
    summary:
      'The last command on the connect path of a connect script is a notification, a log write or a reload (`logger`, ' +
      '`echo`, `printf`, `mail`, `curl`, `systemctl`, `service`, `kill`, ... or any command whose output is ' +
      'redirected to a file), not an explicit `exit`.',
  },
  {
    code: 'HS522',
    title: 'Exit mapping admits the user when the check crashed',
    severity: 'warning',
    group: scripts,
    summary:
      'On the connect path, `$?` (or a variable that saved it, `rc=$?`) is compared for equality with one non-zero ' +
      'status (`[ $? -eq 1 ]`, `test "$rc" = 1`), or a `case $?` (or `case $rc`) has no `*)` branch that exits non-zero.',
  },
  {
    code: 'HS523',
    title: 'Misspelt ocserv variable',
    severity: 'warning',
    group: scripts,
    summary:
      'An ocserv script uses a variable of five or more characters that ocserv does not set, the script does not ' +
      'assign, and that is within two edits of an ocserv variable or differs from one by a trailing `S` or `_`.',
    fix: 'replace',
  },
  {
    code: 'HS524',
    title: 'Positional argument in an ocserv script',
    severity: 'warning',
    group: scripts,
    summary: 'An ocserv script reads `$1`..`$9` outside a function.',
  },
  {
    code: 'HS525',
    title: 'STATS_ variable read on connect',
    severity: 'warning',
    group: scripts,
    summary:
      'A `STATS_` variable is read in code that runs for connect or host-update and not for disconnect: a ' +
      'connect-only script, or a connect branch of the dispatch on `$REASON`.',
  },
  {
    code: 'HS526',
    title: 'What connect adds is never removed',
    severity: 'warning',
    group: scripts,
    summary:
      'The connect path adds an iptables or ip6tables rule (`-A`, `-I`), an ipset entry, an nft rule or element, or a ' +
      "route not through the session's device that no command on the disconnect path (this script's, or the disconnect " +
      "script's) removes with the same spec or a flush of its chain or set.",
  },
  {
    code: 'HS527',
    title: 'Script runs under /bin/sh through ocserv-fw',
    severity: 'information',
    group: scripts,
    fileLevel: true,
    summary:
      'A connect or disconnect script of an `ocserv.conf` that sets `restrict-user-to-routes` or lists ports in `restrict-user-to-ports` ' +
      'has no `#!` line naming `sh` or `dash`.',
  },
  {
    code: 'HS528',
    title: 'ocserv script is not executable',
    severity: 'error',
    group: scripts,
    fileLevel: true,
    summary:
      'An ocserv script on disk has no execute bit (and no restriction makes ocserv-fw run it with /bin/sh; restrictions ' +
      'never cover host-update).',
    fix: 'makeExecutable',
  },
  {
    code: 'HS529',
    title: 'ocserv script without a #! line',
    severity: 'error',
    group: scripts,
    fileLevel: true,
    summary:
      'An ocserv script does not start with `#!` (or a byte-order mark comes before it), and no restriction makes ' +
      'ocserv-fw run it with /bin/sh (restrictions never cover host-update).',
  },
];
