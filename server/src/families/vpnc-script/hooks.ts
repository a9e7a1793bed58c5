import { EnvVar, HookSpec } from '../family';

/** The reasons openconnect runs its script with, in the order of a session's life. */
export const reasons = ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'] as const;
export type Reason = (typeof reasons)[number];

/** The reasons that find the tun device open: openconnect sets TUNDEV only once os_setup_tun() has opened it. */
const tunnel: readonly Reason[] = ['connect', 'attempt-reconnect', 'reconnect', 'disconnect'];
const always: readonly Reason[] = reasons;

interface VpncVar extends EnvVar {
  /**
   * The reasons openconnect sets it for. The session's variables are all set before pre-init: openconnect's library.c,
   * openconnect_setup_tun_device(), calls prepare_script_env() (script.c) and then script_config_tun(vpninfo, "pre-init");
   * only TUNDEV waits for os_setup_tun().
   */
  readonly setOn: readonly Reason[];
  /**
   * Left out of a simulation's default environment: openconnect leaves it unset in the common case (no split excludes, no IPv6 split, no
   * PAC).
   */
  readonly unsetByDefault?: boolean;
}

const setOnText = (on: readonly Reason[]): string => (on.length === reasons.length ? 'Set for every reason.' : `Set for ${on.join(', ')}.`);

function v(name: string, meaning: string, mock: string, setOn: readonly Reason[] = always, unsetByDefault = false): VpncVar {
  return { name, meaning: `${meaning} ${setOnText(setOn)}`, mock, setOn, ...(unsetByDefault ? { unsetByDefault } : {}) };
}

/** A split-include or split-exclude entry: CISCO_SPLIT_INC_<n>_ADDR ... with n from 0. */
function splitEntry(prefix: string, n: number, addr: string, mask: string, len: string, unset: boolean): VpncVar[] {
  const which = prefix.includes('EXC') ? 'split-exclude' : 'split-include';
  const of = `of ${which} network ${n} (entries count from 0 to $${prefix}-1)`;
  return [
    v(`${prefix}_${n}_ADDR`, `The address ${of}.`, addr, always, unset),
    v(`${prefix}_${n}_MASK`, `The netmask ${of}, dotted.`, mask, always, unset),
    v(`${prefix}_${n}_MASKLEN`, `The prefix length ${of}.`, len, always, unset),
    v(`${prefix}_${n}_PROTOCOL`, `The IP protocol ${of} (0: any).`, '0', always, unset),
    v(`${prefix}_${n}_SPORT`, `The source port ${of} (0: any).`, '0', always, unset),
    v(`${prefix}_${n}_DPORT`, `The destination port ${of} (0: any).`, '0', always, unset),
  ];
}

/** The environment openconnect gives its script (script.c), with realistic values: two split includes, two DNS servers, tun0. */
export const vpncEnv: readonly VpncVar[] = [
  v(
    'reason',
    'Why the script runs: pre-init (before the tun device opens), connect, attempt-reconnect (before each reconnect ' +
      "try, OpenConnect 8.02+), reconnect (after a successful one) or disconnect. Lower case: $REASON is ocserv's.",
    'connect',
    always,
  ),
  v('VPNGATEWAY', "The address of the VPN gateway (the route to it must survive the tunnel's routes).", '192.0.2.1', always),
  v('VPNPID', 'The process id of openconnect.', '4242', always),
  v('LOG_LEVEL', "openconnect's verbosity, 0 (errors) to 3 (trace) (OpenConnect 9.0+).", '1', always),
  v('TUNDEV', 'The tunnel device, tun0 and so on (not for pre-init: openconnect opens the device after it).', 'tun0', tunnel),
  v('IDLE_TIMEOUT', "The gateway's idle timeout, in seconds.", '1800'),
  v('INTERNAL_IP4_ADDRESS', 'The IPv4 address assigned to this end of the tunnel.', '10.8.0.42'),
  v('INTERNAL_IP4_MTU', "The tunnel's MTU.", '1406'),
  v('INTERNAL_IP4_NETMASK', "The netmask of the tunnel's IPv4 network, dotted.", '255.255.255.0'),
  v('INTERNAL_IP4_NETMASKLEN', "The prefix length of the tunnel's IPv4 network.", '24'),
  v('INTERNAL_IP4_NETADDR', "The network address of the tunnel's IPv4 network.", '10.8.0.0'),
  v('INTERNAL_IP4_DNS', 'The DNS servers the gateway pushes, space-separated (up to 3).', '10.8.0.53 10.8.0.54'),
  v('INTERNAL_IP4_NBNS', 'The WINS servers the gateway pushes, space-separated.', '10.8.0.55', always, true),
  v('INTERNAL_IP6_ADDRESS', 'The IPv6 address assigned to this end of the tunnel (IPv6 sessions).', '2001:db8:8::42', always, true),
  v('INTERNAL_IP6_NETMASK', 'The IPv6 address with its prefix length, 2001:db8::42/64 (IPv6 sessions).', '2001:db8:8::42/64', always, true),
  v('INTERNAL_IP6_DNS', 'The IPv6 DNS servers the gateway pushes, space-separated.', '2001:db8:8::53', always, true),
  v('CISCO_DEF_DOMAIN', 'The default DNS search domain the gateway pushes.', 'corp.example.com'),
  v('CISCO_BANNER', "The gateway's login banner.", 'Authorised use only.'),
  v(
    'CISCO_PROXY_PAC',
    'The URL of the proxy auto-configuration file the gateway pushes.',
    'http://proxy.corp.example.com/proxy.pac',
    always,
    true,
  ),
  v('CISCO_SPLIT_DNS', "The domains to resolve through the tunnel's DNS servers, comma-separated.", 'corp.example.com,example.net'),
  v('CISCO_CSTP_OPTIONS', 'The CSTP options the gateway sent, one X-CSTP-...=value a line.', 'X-CSTP-Keepalive=20'),
  v(
    'CISCO_SPLIT_INC',
    'How many split-include networks follow (CISCO_SPLIT_INC_0_ADDR ...); unset when zero, when all traffic goes through the tunnel.',
    '2',
  ),
  ...splitEntry('CISCO_SPLIT_INC', 0, '10.20.0.0', '255.255.0.0', '16', false),
  ...splitEntry('CISCO_SPLIT_INC', 1, '172.16.0.0', '255.240.0.0', '12', false),
  v('CISCO_SPLIT_EXC', 'How many split-exclude networks follow (CISCO_SPLIT_EXC_0_ADDR ...); unset when zero.', '1', always, true),
  ...splitEntry('CISCO_SPLIT_EXC', 0, '10.20.99.0', '255.255.255.0', '24', true),
  v(
    'CISCO_IPV6_SPLIT_INC',
    'How many IPv6 split-include networks follow (CISCO_IPV6_SPLIT_INC_0_ADDR, _0_MASKLEN ...); unset when zero.',
    '1',
    always,
    true,
  ),
  v('CISCO_IPV6_SPLIT_INC_0_ADDR', 'The address of IPv6 split-include network 0.', '2001:db8:20::', always, true),
  v('CISCO_IPV6_SPLIT_INC_0_MASKLEN', 'The prefix length of IPv6 split-include network 0.', '48', always, true),
  v('CISCO_IPV6_SPLIT_EXC', 'How many IPv6 split-exclude networks follow; unset when zero.', '1', always, true),
];

/** The variables a simulation sets for a reason, with their realistic values. */
export function defaultEnvFor(reason: Reason): Record<string, string> {
  const env: Record<string, string> = {};
  for (const x of vpncEnv) if (x.setOn.includes(reason) && !x.unsetByDefault) env[x.name] = x.mock;
  env.reason = reason;
  return env;
}

/** The stock script's hook folders, /etc/vpnc/<hook>.d/, and the reason that sources each. */
export const hookFolderReasons: Readonly<Record<string, Reason>> = {
  'pre-init': 'pre-init',
  connect: 'connect',
  'post-connect': 'connect',
  disconnect: 'disconnect',
  'post-disconnect': 'disconnect',
  'attempt-reconnect': 'attempt-reconnect',
  'post-attempt-reconnect': 'attempt-reconnect',
  reconnect: 'reconnect',
};

/** The hook folders a reason sources, in the stock script's order (the hooks, its own work, the post- hooks). */
export function hookFoldersOf(reason: Reason): string[] {
  return Object.keys(hookFolderReasons)
    .filter((h) => hookFolderReasons[h] === reason)
    .sort((a, b) => Number(a.startsWith('post-')) - Number(b.startsWith('post-')));
}

const exitStatus = 'logged by openconnect ("Script ... returned error N") and not acted on: the session goes on whatever it is.';

export const mainScript: HookSpec = {
  name: 'vpnc-script',
  description:
    "The script openconnect runs (--script, -s) for each reason: it configures the tunnel's addresses, routes and " +
    'DNS on connect and undoes them on disconnect. A wrapper that edits the variables and then calls the stock ' +
    'script is one too.',
  runModel: 'shell-command',
  runBy: [...reasons],
  env: vpncEnv,
  exitStatus,
};

function folderHook(folder: string): HookSpec {
  const reason = hookFolderReasons[folder];
  const when = folder.startsWith('post-') ? `after the stock script's own ${reason} work` : `before the stock script's own ${reason} work`;
  return {
    name: `${folder}.d`,
    description:
      `A file in /etc/vpnc/${folder}.d/: sourced by the stock vpnc-script (in glob order, with the others of the ` +
      `folder) for reason ${reason}, ${when}.`,
    runModel: 'sourced',
    runBy: [reason],
    env: vpncEnv,
    exitStatus:
      `a sourced file has none of its own: its last command's status is the script's, and exit ends the whole ` +
      `vpnc-script (${exitStatus})`,
  };
}

export const folderHooks: readonly HookSpec[] = Object.keys(hookFolderReasons).map(folderHook);

export const vpncHooks: readonly HookSpec[] = [mainScript, ...folderHooks];

/** The stock script's own functions (openconnect/vpnc-scripts): a hook may redefine them, and a rename upstream breaks that silently. */
export const stockFunctions = new Set([
  'run_hooks',
  'do_ifconfig',
  'do_pre_init',
  'do_connect',
  'do_disconnect',
  'do_attempt_reconnect',
  'do_split_dns',
  'do_dns',
  'fix_ip_get_output',
  'set_vpngateway_route',
  'del_vpngateway_route',
  'set_default_route',
  'del_default_route',
  'set_network_route',
  'del_network_route',
  'set_ipv6_default_route',
  'del_ipv6_default_route',
  'set_ipv6_network_route',
  'del_ipv6_network_route',
  'set_ipv6_exclude_route',
  'del_ipv6_exclude_route',
  'set_exclude_route',
  'del_exclude_route',
  'destroy_tun_device',
  'modify_resolvconf_generic',
  'restore_resolvconf_generic',
  'modify_resolvconf_manager',
  'restore_resolvconf_manager',
  'modify_resolvconf_suse_netconfig',
  'restore_resolvconf_suse_netconfig',
  'modify_resolvconf_resolved',
  'restore_resolvconf_resolved',
  'modify_resolved_manager_old',
  'restore_resolved_manager_old',
  'nmctl_add_dns',
  'nmctl_del_dns',
]);
