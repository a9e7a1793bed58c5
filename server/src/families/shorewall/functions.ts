import { HookFunction, RunModel } from '../family';

const runTime: RunModel[] = ['function-body', 'library'];
const compileTime: RunModel[] = ['perl-compile-time'];

export const shorewallFunctions: readonly HookFunction[] = [
  {
    name: 'run_iptables',
    signature: 'run_iptables <iptables arguments>',
    doc:
      'Runs iptables (ip6tables in shorewall6) and stops the firewall, or restores the last saved configuration, when ' +
      'the command fails. Not from started or restored: the firewall is already marked running there.',
    runModels: runTime,
    snippet: 'run_iptables ${1:-A INPUT -i ${2:eth0} -p tcp --dport ${3:22} -j ACCEPT}',
  },
  {
    name: 'add_rule',
    signature: 'add_rule( $chainref, $rule )',
    doc:
      'Perl, compile time (use Shorewall::Chains): appends a rule, its iptables matches and target as one string, to ' +
      'a chain such as $chain_table{filter}{INPUT}.',
    runModels: compileTime,
    snippet: "add_rule( ${1:\\$chainref}, '${2:-p tcp --dport 22 -j ACCEPT}' );",
  },
  {
    name: 'insert_rule',
    signature: 'insert_rule( $chainref, $number, $rule )',
    doc: 'Perl, compile time (use Shorewall::Chains): inserts a rule at a position (1 is first) of a chain.',
    runModels: compileTime,
    snippet: "insert_rule( ${1:\\$chainref}, ${2:1}, '${3:-p tcp --dport 22 -j ACCEPT}' );",
  },
  {
    name: 'log_rule_limit',
    signature: 'log_rule_limit( $level, $chainref, $chain, $disposition, $limit, $tag, $command, $matches )',
    doc:
      'Perl, compile time only in current Shorewall: adds a logging rule (with rate limit and log tag) to a chain. It ' +
      'does not exist in shell hooks.',
    runModels: compileTime,
    snippet: "log_rule_limit( '${1:info}', ${2:\\$chainref}, '${3:INPUT}', '${4:DROP}', '', '', 'add', '${5}' );",
  },
];
