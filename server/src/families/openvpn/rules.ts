import type { RuleRecord } from '../../diagnostics';
import { scriptSecurityFixer } from './fixes';

const config = 'OpenVPN config';
const scripts = 'OpenVPN scripts';

/** The family's rules: the config's (HS600–HS608, HS627–HS630, HS632) and its scripts' (HS620–HS626, HS631). */
export const openvpnRules: readonly RuleRecord[] = [
  {
    code: 'HS600',
    title: 'User script without script-security 2',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'A script directive (`up`, `down`, `route-up`, `route-pre-down`, `client-connect`, `client-disconnect`, ' +
      '`learn-address`, `tls-verify`, `auth-user-pass-verify`, `ipchange`) names a command while `script-security` is ' +
      'unset or below 2: OpenVPN refuses to run it.',
    fix: scriptSecurityFixer,
  },
  {
    code: 'HS601',
    title: 'OpenVPN script not found in the workspace',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The first word of a script directive is not found in the workspace: not relative to the config, not at its path ' +
      'under a workspace folder, not through `hooksmith.hooks.serverPaths`, not by its base name beside the config.',
  },
  {
    code: 'HS602',
    title: 'OpenVPN script is not executable',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: 'The script a script directive names was found in the workspace and has no execute bit.',
  },
  {
    code: 'HS603',
    title: 'down runs as the dropped user but needs root',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The config sets `user` or `group` (`down-pre` does not keep root, and a down-root plugin runs its own command, not ' +
      "this line's), and the `down` script runs commands only root may (`ip`, `iptables`, `nft`, `resolvconf`, writes under /etc).",
  },
  {
    code: 'HS633',
    title: 'A script run as the dropped user needs root',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'The config sets `user` or `group`, and a script OpenVPN runs after dropping its privileges (`client-connect`, ' +
      '`client-disconnect`, `learn-address`, `tls-verify`, `auth-user-pass-verify`, `route-pre-down`, `ipchange`) runs ' +
      'commands only root may (`ip`, `iptables`, `nft`, `ipset`, `resolvconf`, writes under /etc). `down` is HS603.',
  },
  {
    code: 'HS634',
    title: 'down-root plugin script dispatches on script_type',
    severity: 'warning',
    group: config,
    summary:
      'The down-root plugin line names a script that reads `$script_type`: the plugin runs it at down with the ' +
      'environment of up, from before OpenVPN set `script_type`, so the variable is empty there.',
  },
  {
    code: 'HS604',
    title: 'auth-user-pass-verify without via-env or via-file',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: '`auth-user-pass-verify` does not end with its method, `via-env` or `via-file`.',
  },
  {
    code: 'HS605',
    title: 'Unknown OpenVPN option',
    severity: 'information',
    group: config,
    fileLevel: true,
    summary:
      "A directive of the config is not one of OpenVPN 2.6's options (nor named by `ignore-unknown-option`); a warning " +
      'with a replace fix when it is within two edits of one.',
    fix: 'replace',
  },
  {
    code: 'HS606',
    title: 'Unclosed quote in an OpenVPN directive',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: "A `\"` or `'` that opens a word of a directive's value is never closed on its line.",
  },
  {
    code: 'HS630',
    title: 'Bad backslash in an OpenVPN directive',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      "A backslash outside 'single quotes' comes before a character other than `\\`, `\"` or a blank: OpenVPN's parser " +
      'refuses the line ("Bad backslash usage") and does not start.',
  },
  {
    code: 'HS607',
    title: 'Script directive without a command',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: 'A script directive has no value.',
  },
  {
    code: 'HS608',
    title: 'Script directive with extra parameters',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'A script directive has more than one parameter (`auth-user-pass-verify` more than two): arguments for the script ' +
      'must be inside the quoted command (`up "script.sh arg"`).',
  },
  {
    code: 'HS632',
    title: 'auth-user-pass-verify via-env without script-security 3',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      '`auth-user-pass-verify ... via-env` with `script-security 2`: below level 3 OpenVPN passes no `password` variable ' +
      'to scripts, so the script sees the username and an empty password.',
  },
  {
    code: 'HS627',
    title: 'Option not allowed inside <connection>',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'A `<connection>` block holds an option OpenVPN does not take there (a script directive, `user`, `script-security`...): ' +
      'only bind, connect-retry, connect-retry-max, connect-timeout, explicit-exit-notify, float, fragment, http-proxy, ' +
      'http-proxy-option, key-direction, link-mtu, local, lport, mssfix, mtu-disc, nobind, port, proto, remote, rport, ' +
      'socks-proxy, tls-auth, tls-crypt, tls-crypt-v2, tun-mtu and tun-mtu-extra may be.',
  },
  {
    code: 'HS628',
    title: '<connection> block without exactly one remote',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary: 'A `<connection>` block has no `remote` line, or more than one.',
  },
  {
    code: 'HS629',
    title: 'Bad remote, port or proto',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      '`remote` names no host, has a port outside 1–65535, a protocol OpenVPN does not know, or more than three words; ' +
      '`port`, `lport`, `rport` or `proto` has such a value (inside a `<connection>` block or outside).',
  },
  {
    code: 'HS620',
    title: 'script_type compared with auth-user-pass-verify only',
    severity: 'warning',
    group: scripts,
    summary:
      'A script compares `$script_type` with `auth-user-pass-verify` (a `case` pattern or a test) and nowhere with ' +
      '`user-pass-verify`, which is what OpenVPN sends.',
    fix: 'replace',
  },
  {
    code: 'HS621',
    title: 'Positional argument OpenVPN does not pass',
    severity: 'warning',
    group: scripts,
    summary:
      'A script reads `$N` (outside a function) beyond the arguments OpenVPN passes for every directive that runs it ' +
      "(the directive's own words, then OpenVPN's), or `$3` in the `delete` branch of a learn-address script.",
  },
  {
    code: 'HS622',
    title: 'trusted_ip in a firewall rule',
    severity: 'hint',
    group: scripts,
    summary: "`$trusted_ip` (the peer's public address) is an argument of `iptables`, `ip6tables`, `nft`, `ipset` or `ip`.",
  },
  {
    code: 'HS623',
    title: 'Incidental last command decides client-connect',
    severity: 'warning',
    group: scripts,
    summary:
      'The last command of a client-connect script is a log write or a notification (`echo`, `printf`, `logger`, ... or ' +
      'any command whose output is redirected to a file), not an explicit `exit`.',
  },
  {
    code: 'HS624',
    title: 'Misspelt OpenVPN variable',
    severity: 'warning',
    group: scripts,
    summary:
      'A script uses a variable of four or more characters that OpenVPN does not set, the script does not assign, and ' +
      'that is within two edits of an OpenVPN variable.',
    fix: 'replace',
  },
  {
    code: 'HS631',
    title: 'OpenVPN variable read on learn-address delete',
    severity: 'warning',
    group: scripts,
    summary:
      "The `delete)` branch of a learn-address script reads one of OpenVPN's variables (`$common_name`, " +
      '`$ifconfig_pool_remote_ip`, ...): on delete OpenVPN runs the script with `script_type` as its only variable.',
  },
  {
    code: 'HS625',
    title: 'OpenVPN script is not executable',
    severity: 'error',
    group: scripts,
    fileLevel: true,
    summary: 'An OpenVPN script on disk has no execute bit.',
    fix: 'makeExecutable',
  },
  {
    code: 'HS626',
    title: 'OpenVPN script without a #! line',
    severity: 'error',
    group: scripts,
    fileLevel: true,
    summary: 'An OpenVPN script does not start with `#!` (or a byte-order mark comes before it).',
  },
];
