import { EnvVar, HookSpec, RunModel } from '../family';

/** Set for every run-time hook by the generated firewall script. */
export const shorewallEnv: readonly EnvVar[] = [
  { name: 'COMMAND', meaning: 'The command being run: start, restart, reload, refresh, stop, clear, restore, ...', mock: 'start' },
  { name: 'CONFDIR', meaning: 'The configuration folder.', mock: '/etc/shorewall' },
  { name: 'SHAREDIR', meaning: 'Where Shorewall keeps its shared files.', mock: '/usr/share/shorewall' },
  { name: 'VARDIR', meaning: 'Where Shorewall keeps its state.', mock: '/var/lib/shorewall' },
];

/** What the generated script makes of a run-time hook's status (lib.common, Compiler.pm). */
const exitStatus: Readonly<Record<string, string>> = {
  isusable:
    '0 means the interface is usable; anything else means it is not, and its optional provider is not started. An answer, not a failure.',
  findgw: 'ignored: what it prints is the gateway.',
};

function hook(name: string, runModel: RunModel, runBy: string[], description: string, removedIn?: string): HookSpec {
  const status =
    exitStatus[name] ??
    (runModel === 'function-body'
      ? 'not checked by the generated script, which goes on; exit (not return) ends the whole script with that status.'
      : undefined);
  return {
    name,
    runModel,
    runBy,
    description,
    env: runModel === 'function-body' ? shorewallEnv : [],
    ...(removedIn ? { removedIn } : {}),
    ...(status ? { exitStatus: status } : {}),
  };
}

/** The extension scripts and the commands that run them (the seed's table, checked against Shorewall 5.x). */
export const shorewallHooks: readonly HookSpec[] = [
  hook('init', 'function-body', ['load', 'refresh', 'reload', 'restart', 'restore', 'start'], 'Invoked early in start and restart.'),
  hook('start', 'function-body', ['load', 'reload', 'restart', 'start'], 'Invoked after the firewall has been started or restarted.'),
  hook(
    'tcclear',
    'function-body',
    ['load', 'reload', 'restart', 'restore', 'start'],
    'Invoked to clear traffic shaping when CLEAR_TC=Yes.',
  ),
  hook('started', 'function-body', ['load', 'reload', 'restart', 'start'], "Invoked after the firewall has been marked as 'running'."),
  hook('stop', 'function-body', ['stop', 'clear'], 'Invoked as a first step when the firewall is being stopped.'),
  hook('stopped', 'function-body', ['stop', 'clear'], 'Invoked after the firewall has been stopped.'),
  hook('clear', 'function-body', ['clear'], 'Invoked after the firewall has been cleared.'),
  hook('refresh', 'function-body', ['refresh'], 'Called in place of init when the firewall is being refreshed.'),
  hook('refreshed', 'function-body', ['refresh'], 'Invoked after the firewall has been refreshed.'),
  hook('restored', 'function-body', ['restore'], 'Invoked at the completion of a successful restore.'),
  hook(
    'enabled',
    'function-body',
    ['enable'],
    'Invoked when a provider interface is enabled ($1 physical name, $2 logical name, $3 provider).',
  ),
  hook(
    'disabled',
    'function-body',
    ['disable'],
    'Invoked when a provider interface is disabled ($1 physical name, $2 logical name, $3 provider).',
  ),
  hook(
    'isusable',
    'function-body',
    ['refresh', 'restart', 'restore', 'start'],
    'Decides whether an optional provider interface ($1) is usable: return 0 for usable.',
  ),
  hook('findgw', 'function-body', ['refresh', 'restart', 'restore', 'start'], 'Finds the gateway through a dynamic interface ($1).'),
  hook('lib.private', 'library', ['every command'], 'Shell functions copied into the generated script for the other run-time hooks.'),
  hook(
    'compile',
    'perl-compile-time',
    ['check', 'compile', 'export', 'load', 'refresh', 'reload', 'restart', 'restore', 'start'],
    'Perl, run early by the rules compiler; must end by returning true.',
  ),
  hook(
    'initdone',
    'perl-compile-time',
    ['check', 'compile', 'export', 'refresh', 'restart', 'start'],
    'Perl, run after the rules are flushed and before any are added; must end by returning true.',
  ),
  hook(
    'maclog',
    'perl-compile-time',
    ['check', 'compile', 'export', 'refresh', 'restart', 'start'],
    'Invoked while MAC filtering rules are created.',
    '5.1.0',
  ),
  hook('save', 'cli-tool', ['save'], 'Run by shorewall save.'),
  hook('scfilter', 'cli-tool', ['show connections'], 'A filter for show connections: connection lines on stdin, out on stdout.'),
  hook('postcompile', 'cli-tool', ['compile'], 'Run by the command-line tools after compilation.'),
  hook('lib.cli-user', 'cli-tool', ['every command'], 'Shell functions loaded by the command-line tools.'),
  hook('continue', 'function-body', [], "Listed in the seed's table with no commands."),
];

/** Configuration files that live beside the hooks: never a near miss of a hook name. */
export const configFiles = new Set([
  'accounting',
  'actions',
  'arprules',
  'blacklist',
  'blrules',
  'conntrack',
  'ecn',
  'hosts',
  'interfaces',
  'ipsec',
  'maclist',
  'mangle',
  'masq',
  'nat',
  'netmap',
  'notrack',
  'params',
  'periodic',
  'policy',
  'providers',
  'proxyarp',
  'proxyndp',
  'routes',
  'routestopped',
  'rtrules',
  'rules',
  'secmarks',
  'shorewall.conf',
  'shorewall6.conf',
  'shorewall-lite.conf',
  'snat',
  'stoppedrules',
  'restore',
  'firewall',
  'firewall.conf',
  'state',
  'tcclasses',
  'tcdevices',
  'tcfilters',
  'tcinterfaces',
  'tcpri',
  'tcrules',
  'tunnels',
  'zones',
  'Makefile',
  'README',
]);

/** A per-chain script: named for a zone-to-zone chain (net2fw) or a built-in chain. Removed in 5.1.0. */
export function isChainScript(name: string): boolean {
  return /^[a-z][a-z0-9]*2[a-z][a-z0-9]*$/.test(name) || /^(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING)$/.test(name);
}
