/** The family's snippets, by editor language (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

export const shorewallSnippets: readonly FamilySnippet[] = [
  {
    language: 'shellscript',
    name: 'Shorewall: isusable hook',
    prefix: 'shorewall-isusable',
    description: 'isusable: decide per interface ($1) whether an optional provider is usable; *) decides for the rest',
    body: [
      '# isusable: Shorewall pastes this into its firewall script as a function body.',
      '# \\$1 is the interface; return 0 if it is usable, 1 if not.',
      'case \\$1 in',
      '\t${1:eth1})',
      '\t\t${2:ping -c 1 -W 2 -I "\\$1" ${3:192.0.2.1} >/dev/null 2>&1}',
      '\t\t;;',
      '\t*)',
      '\t\t${4|return 0,return 1|}',
      '\t\t;;',
      'esac',
    ],
  },
  {
    language: 'shellscript',
    name: 'Shorewall: $COMMAND check',
    prefix: 'shorewall-command',
    description: 'case on $COMMAND: run only for some Shorewall commands',
    body: [
      'case \\$COMMAND in',
      '\t${1:start|restart|reload})',
      '\t\t${0::}',
      '\t\t;;',
      'esac',
    ],
  },
  {
    language: 'shellscript',
    name: 'Shorewall: run_iptables',
    prefix: 'run_iptables',
    description: 'run_iptables: iptables that stops the firewall when it fails (not in started or restored)',
    body: [
      'run_iptables -A ${1:INPUT} -i ${2:eth0} -p ${3|tcp,udp|} --dport ${4:22} -j ${5|ACCEPT,DROP,REJECT|}',
    ],
  },
  {
    language: 'shellscript',
    name: 'Shorewall: start hook',
    prefix: 'shorewall-start',
    description: 'start: a run-time hook that adds a rule with run_iptables on start, restart and reload',
    body: [
      '# start: Shorewall pastes this into its firewall script as a function body (use return, not exit).',
      'case \\$COMMAND in',
      '\t${1:start|restart|reload})',
      '\t\trun_iptables -A ${2:INPUT} -i ${3:eth0} -p ${4|tcp,udp|} --dport ${5:22} -j ACCEPT',
      '\t\t;;',
      'esac',
      '$0',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: compile hook',
    prefix: 'shorewall-compile',
    description: 'compile: a compile-time Perl hook that adds a rule and ends with 1;',
    body: [
      '# compile: Perl, evaluated by the Shorewall rules compiler in package Shorewall::User.',
      'use Shorewall::Chains;',
      '',
      'add_rule( \\$chain_table{filter}{${1:INPUT}}, \'${2:-i eth0 -p tcp --dport 22 -j ACCEPT}\' );',
      '$0',
      '1;',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: initdone hook',
    prefix: 'shorewall-initdone',
    description: 'initdone: compile-time Perl run after the rules are flushed; ends with 1;',
    body: [
      '# initdone: Perl, run after the rules are flushed and before any are added.',
      'use Shorewall::Chains;',
      '',
      'insert_rule( \\$chain_table{filter}{${1:INPUT}}, ${2:1}, \'${3:-i lo -j ACCEPT}\' );',
      '$0',
      '1;',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: add_rule',
    prefix: 'add_rule',
    description: 'add_rule: append a rule to a chain (compile time)',
    body: [
      'add_rule( \\$chain_table{${1:filter}}{${2:INPUT}}, \'${3:-p tcp --dport 22 -j ACCEPT}\' );',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: insert_rule',
    prefix: 'insert_rule',
    description: 'insert_rule: insert a rule at a position of a chain (compile time)',
    body: [
      'insert_rule( \\$chain_table{${1:filter}}{${2:INPUT}}, ${3:1}, \'${4:-p tcp --dport 22 -j ACCEPT}\' );',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: log_rule_limit',
    prefix: 'log_rule_limit',
    description: 'log_rule_limit: add a logging rule to a chain (compile time only)',
    body: [
      'log_rule_limit( \'${1:info}\', \\$chain_table{${2:filter}}{${3:INPUT}}, \'${3:INPUT}\', \'${4:DROP}\', \'\', \'\', \'add\', \'${5}\' );',
    ],
  },
  {
    language: 'perl',
    name: 'Shorewall: true value',
    prefix: 'true-value',
    description: 'The closing 1; every compile-time hook needs',
    body: [
      '1;',
    ],
  },
];
