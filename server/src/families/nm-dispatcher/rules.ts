import type { RuleRecord } from '../../diagnostics';

const files = 'NetworkManager dispatcher files';
const content = 'NetworkManager dispatcher content';

/** The family's rules, with their fixes. */
export const nmRules: readonly RuleRecord[] = [
  {
    code: 'HS700',
    title: 'Name NetworkManager skips',
    severity: 'warning',
    group: files,
    summary:
      'A dispatcher script whose name starts with `.`, ends in `~`, `.rpmsave`, `.rpmorig`, `.rpmnew` or `.swp`, or ends ' +
      'in a `.dpkg-*` suffix: NetworkManager skips it without a log line.',
    fix: 'rename',
    fileLevel: true,
  },
  {
    code: 'HS701',
    title: 'Dispatcher script not owned by root',
    severity: 'warning',
    group: files,
    summary: "A dispatcher script's owner is not root: NetworkManager refuses it (\"Cannot execute '...': not owned by root.\").",
    fileLevel: true,
  },
  {
    code: 'HS702',
    title: 'Dispatcher script writable by group or others',
    severity: 'warning',
    group: files,
    summary:
      "A dispatcher script that its group or others may write: NetworkManager refuses it (\"Cannot execute '...': " +
      'writable by group or other, or set-UID.").',
    fix: 'removeGroupWrite',
    fileLevel: true,
  },
  {
    code: 'HS703',
    title: 'Dispatcher script is set-UID',
    severity: 'warning',
    group: files,
    summary:
      "A dispatcher script with the set-UID bit: NetworkManager refuses it (\"Cannot execute '...': writable by group " +
      'or other, or set-UID.").',
    fileLevel: true,
  },
  {
    code: 'HS704',
    title: 'Dispatcher script not executable by its owner',
    severity: 'warning',
    group: files,
    summary:
      "A dispatcher script without the owner's execute bit: NetworkManager refuses it (\"Cannot execute '...': not " +
      'executable by owner.").',
    fix: 'makeExecutable',
    fileLevel: true,
  },
  {
    code: 'HS705',
    title: '#! line not on line 1',
    severity: 'warning',
    group: content,
    summary:
      'A dispatcher script has its `#!` line after blank lines or comments: the kernel does not see it, and the script ' +
      'runs under /bin/sh.',
  },
  {
    code: 'HS706',
    title: 'Action handled in a folder that never receives it',
    severity: 'warning',
    group: content,
    summary:
      'A script compares the action with one its folder never receives (`pre-down` or `vpn-pre-up` in a script that ' +
      'lives only in dispatcher.d; `up` in a script only in pre-up.d), so that branch never runs.',
  },
  {
    code: 'HS707',
    title: 'No test of the action',
    severity: 'warning',
    group: content,
    summary:
      'A dispatcher script adds routes, policy rules, iptables rules or mounts and never reads `$2` or ' +
      '`NM_DISPATCHER_ACTION`: it does that for every action (down, dhcp4-change, hostname, connectivity-change ...).',
  },
  {
    code: 'HS708',
    title: 'Change made on up is never undone on down',
    severity: 'warning',
    group: content,
    summary:
      "A route, policy rule, iptables rule or mount added for `up` or `vpn-up` that neither the script's `down` / " +
      '`vpn-down` branch nor another script of dispatcher.d or pre-down.d removes with the same specification.',
  },
  {
    code: 'HS709',
    title: 'Blocking command in a waited-for script',
    severity: 'hint',
    group: content,
    summary:
      'A script outside `no-wait.d` runs `sleep` or `nmcli connection up`: NetworkManager runs the waited-for scripts ' +
      'one at a time, so every later script waits for it.',
  },
  {
    code: 'HS710',
    title: 'no-wait.d script with no link to it',
    severity: 'warning',
    group: files,
    summary:
      'A script in `dispatcher.d/no-wait.d` that no symbolic link in dispatcher.d, pre-up.d or pre-down.d leads to: ' +
      'NetworkManager never reads no-wait.d itself, so it never runs.',
    fileLevel: true,
  },
  {
    code: 'HS711',
    title: '/usr/lib script hidden by /etc',
    severity: 'warning',
    group: files,
    summary:
      'A script in a mirrored `usr/lib/NetworkManager/dispatcher.d` whose name `etc/NetworkManager/dispatcher.d` also ' +
      "has: NetworkManager merges the two by name and runs /etc's, so this one never runs (information when /etc's is a " +
      'link to /dev/null: masked on purpose).',
    fileLevel: true,
  },
];
