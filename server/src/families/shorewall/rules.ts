import type { RuleRecord } from '../../diagnostics';
import { defaultBranchFixer } from './fixes';

/** The family's rules, with their fixes. */
export const shorewallRules: readonly RuleRecord[] = [
  {
    code: 'HS420',
    title: 'Near miss of a Shorewall hook name',
    severity: 'warning',
    group: 'Shorewall naming',
    summary:
      'A file in a Shorewall folder is named almost like an extension script: in another letter case (`Started`), ' +
      'with an extension `.sh`, `.bash`, `.pl` or `.txt` (`started.sh`), or misspelt (`stoped`): within one edit of a ' +
      'hook name of up to six letters, two of a longer one.',
    fix: 'rename',
  },
  {
    code: 'HS421',
    title: 'Shorewall hook removed in 5.1.0',
    severity: 'warning',
    group: 'Shorewall naming',
    summary:
      'A Shorewall folder holds a `maclog` script or a per-chain script: a file named after a chain, either zone to ' +
      'zone (`net2fw`, `loc2net`) or built in (`INPUT`, `OUTPUT`, `FORWARD`, `PREROUTING`, `POSTROUTING`).',
  },
  {
    code: 'HS422',
    title: 'Compile-time Shorewall hook is not Perl',
    severity: 'error',
    group: 'Shorewall naming',
    summary:
      'A compile-time hook (`compile`, `initdone` or `maclog`) does not look like Perl: its `#!` line names a shell ' +
      '(`sh`, `bash`, `dash`, `ksh`, `zsh`, `ash`, `busybox`), or, comments left out, it has no Perl statement (`use ' +
      'Module`, `my $x`, `sub name`, `return`, `1;`, or a call `name(...);`).',
  },
  {
    code: 'HS440',
    title: 'exit in a Shorewall run-time hook',
    severity: 'error',
    group: 'Shorewall content',
    summary:
      'A Shorewall run-time hook (`init`, `start`, `tcclear`, `started`, `stop`, `stopped`, `clear`, `refresh`, ' +
      '`refreshed`, `restored`, `enabled`, `disabled`, `isusable`, `findgw`, `continue`) runs `exit` in its own ' +
      'shell: at its top level, or inside a function the hook defines and calls (the function runs in the same shell).',
    fix: 'replace',
  },
  {
    code: 'HS441',
    title: 'Shebang in a Shorewall run-time hook',
    severity: 'information',
    group: 'Shorewall content',
    summary:
      'A Shorewall run-time hook (`init`, `start`, `tcclear`, `started`, `stop`, `stopped`, `clear`, `refresh`, ' +
      '`refreshed`, `restored`, `enabled`, `disabled`, `isusable`, `findgw`, `continue`) starts with a `#!` line.',
  },
  {
    code: 'HS442',
    title: 'run_iptables in started or restored',
    severity: 'error',
    group: 'Shorewall content',
    summary: 'The `started` or `restored` hook calls `run_iptables`.',
  },
  {
    code: 'HS443',
    title: 'Bare iptables in a Shorewall run-time hook',
    severity: 'warning',
    group: 'Shorewall content',
    summary:
      'A Shorewall run-time hook other than `started` and `restored` (`init`, `start`, `tcclear`, `stop`, `stopped`, ' +
      '`clear`, `refresh`, `refreshed`, `enabled`, `disabled`, `isusable`, `findgw`, `continue`) runs a command ' +
      'written `iptables` or `ip6tables`.',
    fix: 'replace',
  },
  {
    code: 'HS444',
    title: 'log_rule_limit in a shell hook',
    severity: 'error',
    group: 'Shorewall content',
    summary:
      'A Shorewall hook written in shell calls `log_rule_limit`: a run-time hook, `lib.private`, `save`, `scfilter`, ' +
      '`postcompile` or `lib.cli-user`.',
  },
  {
    code: 'HS445',
    title: 'isusable leaves a path without a status',
    severity: 'warning',
    group: 'Shorewall content',
    summary: 'In the `isusable` hook, the last statement is a `case` without a `*)` branch, or an `if` without an `else`.',
    fix: defaultBranchFixer,
  },
  {
    code: 'HS446',
    title: 'Compile-time hook does not end with a true value',
    severity: 'error',
    group: 'Shorewall content',
    summary: 'The last line of code in the `compile` or `initdone` hook is not a positive number such as `1;` (or `return 1;`).',
  },
];
