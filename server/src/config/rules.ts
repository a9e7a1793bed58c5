import type { RuleRecord } from '../diagnostics';

/** Rules of config documents of any family: what the line reader cannot read. */
export const configRules: readonly RuleRecord[] = [
  {
    code: 'HS500',
    title: 'Config line is not a key and a value',
    severity: 'warning',
    group: 'Config files',
    fileLevel: true,
    summary:
      "A line of a family's configuration file (such as a VPN server's) that is not blank and not a comment has no " +
      '`=` between a key and a value, has nothing before the `=`, opens a `[section` without closing it, or opens an ' +
      'inline `<block>` that never closes.',
  },
  {
    code: 'HS501',
    title: 'Binary config file',
    severity: 'error',
    group: 'Config files',
    fileLevel: true,
    summary:
      "A file recognised as a family's configuration file contains a NUL character in its first 8,192 characters: it " +
      'is not read as a configuration; this is its only finding.',
  },
];
