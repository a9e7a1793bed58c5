import { Tree, treeRoot } from './trees';
import { EnvVar, HookSpec } from '../family';

/** The actions NetworkManager's dispatcher sends ($2 and NM_DISPATCHER_ACTION), from nm-dispatcher-api.h. */
export const actions = [
  'hostname',
  'pre-up',
  'up',
  'pre-down',
  'down',
  'vpn-pre-up',
  'vpn-up',
  'vpn-pre-down',
  'vpn-down',
  'dhcp4-change',
  'dhcp6-change',
  'connectivity-change',
  'reapply',
  'dns-change',
  'device-add',
  'device-delete',
] as const;
export type Action = (typeof actions)[number];

/** The folders NetworkManager reads scripts from, relative to /etc/NetworkManager/dispatcher.d. */
export type Folder = 'dispatcher.d' | 'pre-up.d' | 'pre-down.d';

/** Where the scripts for an action are (nm-dispatcher.c find_scripts): pre-up and pre-down have their own folders. */
export function folderOf(action: Action): Folder {
  if (action === 'pre-up' || action === 'vpn-pre-up') return 'pre-up.d';
  if (action === 'pre-down' || action === 'vpn-pre-down') return 'pre-down.d';
  return 'dispatcher.d';
}

/** The actions a folder receives. */
export function actionsOf(folder: Folder): Action[] {
  return actions.filter((a) => folderOf(a) === folder);
}

export const isVpnAction = (a: Action): boolean => a.startsWith('vpn-');

/** Actions without a device or connection: no CONNECTION_* or DEVICE_* variables, $1 is "none" (hostname) or empty. */
const deviceless: readonly Action[] = ['hostname', 'connectivity-change', 'dns-change'];
const withDevice = actions.filter((a) => !deviceless.includes(a));
/** The device is activated: NetworkManager adds its IP4_ / IP6_ / DHCP4_ variables (not on pre-up, down, device-add/-delete). */
const activated = actions.filter(
  (a) => !['hostname', 'pre-up', 'down', 'connectivity-change', 'dns-change', 'device-add', 'device-delete'].includes(a),
);
const vpn = actions.filter(isVpnAction);

interface NmVar extends EnvVar {
  readonly setOn: readonly Action[];
  /** Left out of a simulation's default environment (NetworkManager sets it only in a less common case). */
  readonly unsetByDefault?: boolean;
}

const setOnText = (on: readonly Action[]): string => (on.length === actions.length ? 'Set for every action.' : `Set for ${on.join(', ')}.`);

function v(name: string, meaning: string, mock: string, setOn: readonly Action[], unsetByDefault = false): NmVar {
  return { name, meaning: `${meaning} ${setOnText(setOn)}`, mock, setOn, ...(unsetByDefault ? { unsetByDefault } : {}) };
}

/** Every option of a DHCP lease, one variable each (nm-dispatcher-utils.c: the prefix, then the option's name upper-cased). */
function leaseOptions(prefix: 'DHCP4_' | 'DHCP6_', lease: string, example: string, mock: string): NmVar {
  return {
    ...v(`${prefix}<OPTION>`, `An option of the ${lease} lease, its name upper-cased after ${prefix} (${example} ...).`, mock, activated),
    pattern: new RegExp(`^${prefix}[A-Z0-9_]+$`),
  };
}

/** The environment nm-dispatcher gives its scripts (nm-dispatcher-utils.c), with realistic values: a wired device and a VPN on tun0. */
export const nmEnv: readonly NmVar[] = [
  v('NM_DISPATCHER_ACTION', 'The action, the same as $2: up, down, vpn-up, dhcp4-change ...', 'up', actions),
  v('CONNECTION_UUID', 'The UUID of the connection profile.', '5f3e1c2a-8d41-4b6e-9a57-2c0d9e6f7a10', withDevice),
  v('CONNECTION_ID', 'The name of the connection profile, as nmcli shows it.', 'Wired connection 1', withDevice),
  v('CONNECTION_DBUS_PATH', 'The D-Bus path of the connection profile.', '/org/freedesktop/NetworkManager/Settings/3', withDevice),
  v(
    'CONNECTION_FILENAME',
    'The file the connection profile is stored in.',
    '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection',
    withDevice,
  ),
  v('CONNECTION_EXTERNAL', '1 when the connection was made outside NetworkManager (unset otherwise).', '1', withDevice, true),
  v('DEVICE_IFACE', 'The interface name of the device.', 'eth0', withDevice),
  v('DEVICE_IP_IFACE', "The device's IP interface (differs from DEVICE_IFACE for PPP and some mobile devices).", 'eth0', withDevice),
  v('IP4_NUM_ADDRESSES', 'How many IPv4 addresses the device has (IP4_ADDRESS_0 ...).', '1', activated),
  v('IP4_ADDRESS_0', 'The first IPv4 address of the device, as "address/prefix gateway".', '192.168.1.23/24 192.168.1.1', activated),
  v('IP4_GATEWAY', "The device's IPv4 gateway.", '192.168.1.1', activated),
  v('IP4_NUM_ROUTES', 'How many IPv4 routes follow (IP4_ROUTE_0 ...).', '1', activated),
  v('IP4_ROUTE_0', 'The first IPv4 route, as "network/prefix next-hop metric".', '192.168.1.0/24 0.0.0.0 100', activated),
  v('IP4_NAMESERVERS', "The device's IPv4 DNS servers, space-separated.", '192.168.1.1', activated),
  v('IP4_DOMAINS', "The device's DNS search domains, space-separated.", 'home.example', activated),
  v('IP6_NUM_ADDRESSES', 'How many IPv6 addresses the device has (IP6_ADDRESS_0 ...).', '1', activated),
  v('IP6_ADDRESS_0', 'The first IPv6 address of the device, as "address/prefix gateway".', '2001:db8:1::23/64 fe80::1', activated),
  v('IP6_GATEWAY', "The device's IPv6 gateway.", 'fe80::1', activated),
  v('IP6_NUM_ROUTES', 'How many IPv6 routes follow (IP6_ROUTE_0 ...).', '1', activated),
  v('IP6_ROUTE_0', 'The first IPv6 route, as "network/prefix next-hop metric".', '2001:db8:1::/64 :: 100', activated),
  v('IP6_NAMESERVERS', "The device's IPv6 DNS servers, space-separated.", '2001:db8:1::53', activated),
  v('IP6_DOMAINS', "The device's IPv6 DNS search domains, space-separated.", 'home.example', activated),
  v('DHCP4_IP_ADDRESS', 'The address the DHCPv4 lease gave (each DHCP option is a DHCP4_<OPTION> variable).', '192.168.1.23', activated),
  v('DHCP4_DOMAIN_NAME_SERVERS', 'The DNS servers of the DHCPv4 lease.', '192.168.1.1', activated),
  v('DHCP4_EXPIRY', 'When the DHCPv4 lease expires, in seconds since 1970.', '1767225600', activated),
  leaseOptions('DHCP4_', 'DHCPv4', 'DHCP4_ROUTERS, DHCP4_NTP_SERVERS, DHCP4_DOMAIN_NAME', '192.168.1.1'),
  v(
    'DHCP6_IP6_ADDRESS',
    'The address the DHCPv6 lease gave (each DHCPv6 option is a DHCP6_<OPTION> variable, its name upper-cased: ' +
      'DHCP6_DHCP6_NAME_SERVERS ...).',
    '2001:db8:1::23',
    activated,
  ),
  v('DHCP6_DHCP6_NAME_SERVERS', 'The DNS servers of the DHCPv6 lease, space-separated.', '2001:db8:1::53', activated),
  v('DHCP6_DHCP6_DOMAIN_SEARCH', 'The DNS search domains of the DHCPv6 lease.', 'home.example', activated),
  v('DHCP6_IAID', 'The identity association (IAID) of the DHCPv6 lease, in hex.', '0x5c3e1a42', activated),
  v('DHCP6_PREFERRED_LIFE', 'The preferred lifetime of the DHCPv6 address, in seconds.', '3600', activated),
  v('DHCP6_MAX_LIFE', 'The valid (maximum) lifetime of the DHCPv6 address, in seconds.', '7200', activated),
  leaseOptions('DHCP6_', 'DHCPv6', 'DHCP6_DHCP6_SNTP_SERVERS, DHCP6_DHCP6_CLIENT_ID, DHCP6_IP6_PREFIX', '2001:db8:1::123'),
  v('VPN_IP_IFACE', "The VPN's own interface (tun0 ...); $1 names it too for the vpn- actions.", 'tun0', vpn),
  v('VPN_IP4_NUM_ADDRESSES', 'How many IPv4 addresses the VPN has.', '1', vpn),
  v('VPN_IP4_ADDRESS_0', 'The VPN\'s IPv4 address, as "address/prefix gateway".', '10.8.0.42/24 10.8.0.1', vpn),
  v('VPN_IP4_GATEWAY', "The VPN's IPv4 gateway.", '10.8.0.1', vpn),
  v('VPN_IP4_NUM_ROUTES', 'How many IPv4 routes the VPN pushed (VPN_IP4_ROUTE_0 ...).', '2', vpn),
  v('VPN_IP4_ROUTE_0', 'The first route the VPN pushed, as "network/prefix next-hop metric".', '10.20.0.0/16 10.8.0.1 50', vpn),
  v('VPN_IP4_ROUTE_1', 'The second route the VPN pushed.', '172.16.0.0/12 10.8.0.1 50', vpn),
  v('VPN_IP4_NAMESERVERS', "The VPN's DNS servers, space-separated.", '10.8.0.53 10.8.0.54', vpn),
  v('VPN_IP4_DOMAINS', "The VPN's DNS search domains.", 'corp.example.com', vpn),
  v('VPN_IP6_NUM_ADDRESSES', 'How many IPv6 addresses the VPN has.', '1', vpn),
  v('VPN_IP6_ADDRESS_0', 'The VPN\'s IPv6 address, as "address/prefix gateway".', 'fd00:8::42/64 fd00:8::1', vpn),
  v('VPN_IP6_GATEWAY', "The VPN's IPv6 gateway.", 'fd00:8::1', vpn),
  v('VPN_IP6_NUM_ROUTES', 'How many IPv6 routes the VPN pushed (VPN_IP6_ROUTE_0 ...).', '1', vpn),
  v('VPN_IP6_ROUTE_0', 'The first IPv6 route the VPN pushed, as "network/prefix next-hop metric".', 'fd00:20::/48 fd00:8::1 50', vpn),
  v('VPN_IP6_NAMESERVERS', "The VPN's IPv6 DNS servers, space-separated.", 'fd00:8::53', vpn),
  v('CONNECTIVITY_STATE', 'The new connectivity state: UNKNOWN, NONE, PORTAL, LIMITED or FULL.', 'FULL', ['connectivity-change']),
  v(
    'DEVICE_HANDLER',
    'The device handler of a generic connection (device-add, device-delete).',
    'my-handler',
    ['device-add', 'device-delete'],
    true,
  ),
];

/** The addressing of the mocked connections: both IPv4 and IPv6 (the default), or IPv4 only (no IP6_, VPN_IP6_ variables). */
export const stacks = ['dual', 'ipv4'] as const;
export type Stack = (typeof stacks)[number];

const isIpv6Var = (name: string): boolean => /^(VPN_)?(IP6|DHCP6)_/.test(name);

/**
 * The environment and arguments NetworkManager gives a script for an action, the user's variables
 * on top (`stack` ipv4: the connections have no IPv6, so no IP6_ variable is set): `$1` is the
 * VPN interface (VPN_IP_IFACE) for vpn- actions, the device's IP interface for the others, "none"
 * for hostname and empty for connectivity-change and dns-change (nm-dispatcher.c script_dispatch,
 * nm-dispatcher-utils.c).
 */
export function invocationFor(
  action: Action,
  iface: string | undefined,
  overrides: Readonly<Record<string, string>> = {},
  stack: Stack = 'dual',
): { args: [string, string]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (const x of nmEnv)
    if (x.setOn.includes(action) && !x.unsetByDefault && !x.pattern && !(stack === 'ipv4' && isIpv6Var(x.name))) env[x.name] = x.mock;
  env.NM_DISPATCHER_ACTION = action;
  if (isVpnAction(action)) {
    env.CONNECTION_ID = 'Corp VPN';
    env.CONNECTION_UUID = '0b7d2c51-6a3e-4f19-8c2d-7e5a9b1f4c33';
    env.CONNECTION_DBUS_PATH = '/org/freedesktop/NetworkManager/Settings/7';
    env.CONNECTION_FILENAME = '/etc/NetworkManager/system-connections/Corp VPN.nmconnection';
    if (iface) env.VPN_IP_IFACE = iface;
  } else if (iface && env.DEVICE_IFACE !== undefined) {
    env.DEVICE_IFACE = iface;
    env.DEVICE_IP_IFACE = iface;
  }
  Object.assign(env, overrides);
  const first =
    action === 'hostname'
      ? 'none'
      : deviceless.includes(action)
        ? ''
        : ((isVpnAction(action) ? env.VPN_IP_IFACE : undefined) ?? env.DEVICE_IP_IFACE ?? env.DEVICE_IFACE ?? '');
  return { args: [first, action], env };
}

const exitStatus =
  'logged by NetworkManager ("Script \'...\' exited with status N") and otherwise ignored; only device-add acts on it (the ' +
  'device is not added).';

function folderHook(name: Folder | 'no-wait.d', runBy: readonly Action[], description: string): HookSpec {
  return { name, description, runModel: 'executable', runBy, env: nmEnv, exitStatus };
}

export const dispatcherHook = folderHook(
  'dispatcher.d',
  actionsOf('dispatcher.d'),
  "A script in /etc/NetworkManager/dispatcher.d: exec'd by NetworkManager's dispatcher with $1 (the interface) and $2 " +
    '(the action) for every action but the pre-up and pre-down ones, one script at a time in order of file name, each ' +
    'killed after 600 s.',
);
export const preUpHook = folderHook(
  'pre-up.d',
  actionsOf('pre-up.d'),
  'A script in dispatcher.d/pre-up.d: run for pre-up and vpn-pre-up only, before the connection is up; NetworkManager ' +
    'waits for it before it activates the connection.',
);
export const preDownHook = folderHook(
  'pre-down.d',
  actionsOf('pre-down.d'),
  'A script in dispatcher.d/pre-down.d: run for pre-down and vpn-pre-down only, before the connection goes down (not ' +
    'on a forced disconnect, when the device is already gone).',
);
export const noWaitHook = folderHook(
  'no-wait.d',
  actionsOf('dispatcher.d'),
  'A script in dispatcher.d/no-wait.d: it runs only through a symbolic link to it in dispatcher.d (or pre-up.d, ' +
    'pre-down.d), and then at once, in parallel with the others, without NetworkManager waiting for it.',
);

export const nmHooks: readonly HookSpec[] = [dispatcherHook, preUpHook, preDownHook, noWaitHook];

/** NetworkManager's own log line when it refuses a script (nm-dispatcher.c check_permissions). */
export function refusalLogLine(serverPath: string, why: string): string {
  return `find-scripts: Cannot execute '${serverPath}': ${why}`;
}

/** The script's path on a real system, for log lines: /etc/NetworkManager/dispatcher.d[/pre-up.d]/name (or /usr/lib/...). */
export function serverPathOf(folder: string, name: string, tree: Tree = 'etc'): string {
  const base = treeRoot(tree);
  return folder === 'dispatcher.d' ? `${base}/${name}` : `${base}/${folder}/${name}`;
}
