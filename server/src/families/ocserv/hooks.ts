import { EnvVar, HookSpec } from '../family';

/** The events ocserv runs scripts for, as REASON names them. */
export const ocservEvents = ['connect', 'disconnect', 'host-update'] as const;
export type OcservEvent = (typeof ocservEvents)[number];

const all = ocservEvents;
const disconnectOnly = ['disconnect'] as const;

/** A realistic server's values: documentation addresses (RFC 5737, RFC 3849-like ULA), a laptop's client. */
export const ocservEnv: readonly EnvVar[] = [
  { name: 'REASON', meaning: 'Why the script runs: connect, disconnect or host-update.', mock: 'connect', setOn: all },
  { name: 'ID', meaning: "The session's unique numeric ID (the worker's).", mock: '19234', setOn: all },
  { name: 'USERNAME', meaning: 'The user who logged in.', mock: 'jdoe', setOn: all },
  { name: 'GROUPNAME', meaning: 'The group the user selected or was given (empty without groups).', mock: 'staff', setOn: all },
  { name: 'HOSTNAME', meaning: 'The host name the client sent.', mock: 'jdoe-laptop', setOn: all },
  // ocserv's src/main-user.c, call_script(): REMOTE_HOSTNAME is set from proc->hostname, as HOSTNAME is.
  {
    name: 'REMOTE_HOSTNAME',
    meaning: 'The host name the client sent: the same value as HOSTNAME (ocserv sets both from it).',
    mock: 'jdoe-laptop',
    setOn: all,
  },
  { name: 'DEVICE', meaning: "The server's tun device for this session.", mock: 'vpns0', setOn: all },
  {
    name: 'USER_AGENT',
    meaning: "The client's user agent (its software and version).",
    mock: 'Open AnyConnect VPN Agent v9.12',
    setOn: all,
  },
  { name: 'DEVICE_TYPE', meaning: "The client's device type, as it reports it.", mock: 'linux-64', setOn: all },
  { name: 'DEVICE_PLATFORM', meaning: "The client's platform, as it reports it.", mock: 'linux-64', setOn: all },
  { name: 'IP_REAL', meaning: "The client's real (public) address.", mock: '198.51.100.23', setOn: all },
  { name: 'IP_REAL_LOCAL', meaning: "The server's address the client connected to.", mock: '203.0.113.5', setOn: all },
  {
    name: 'IP_LOCAL',
    meaning: "The server's IPv4 address in the tunnel. Not set for an IPv6-only session.",
    mock: '192.168.100.1',
    setOn: all,
  },
  {
    name: 'IP_REMOTE',
    meaning: "The client's IPv4 address in the tunnel. Not set for an IPv6-only session.",
    mock: '192.168.100.27',
    setOn: all,
  },
  // ocserv's src/ip-lease.c, get_ipv6_lease(): the server's end is ipv6-network's own address + 1 ("LIP = network
  // address + 1"), the client's a random address of that network whose ipv6-subnet-prefix subnet is never the
  // network's first (is_ipv6_ok()), and IPV6_PREFIX is ipv6-subnet-prefix, 128 unless set (src/config.c). Values for
  // the sample config's ipv6-network = fda9:4efe:7e3b:03ea::/48 with the default prefix.
  {
    name: 'IPV6_LOCAL',
    meaning: "The server's IPv6 address in the tunnel: ipv6-network's address + 1, the same for every session (IPv6 sessions).",
    mock: 'fda9:4efe:7e3b::1',
    setOn: all,
  },
  {
    name: 'IPV6_REMOTE',
    meaning: "The client's IPv6 address in the tunnel, picked in ipv6-network (IPv6 sessions).",
    mock: 'fda9:4efe:7e3b:3a17:5c2e:9d41:a0b8:6f13',
    setOn: all,
  },
  {
    name: 'IPV6_PREFIX',
    meaning:
      "The prefix length of the client's IPv6 network (ipv6-subnet-prefix: 128, one address, unless ocserv.conf sets it; " +
      'ocserv routes IPV6_REMOTE/IPV6_PREFIX to DEVICE). IPv6 sessions.',
    mock: '128',
    setOn: all,
  },
  // ocserv 1.x's src/main-user.c sets VHOST from the session's vhost, which every session has (the global section is
  // the one named DEFAULT_VHOST_NAME, "default", in src/vhost.h).
  {
    name: 'VHOST',
    meaning: 'The virtual host the client reached: its [vhost:NAME], or "default" for the global section.',
    mock: 'default',
    setOn: all,
  },
  {
    name: 'STATS_BYTES_IN',
    meaning: 'Bytes the client sent during the session. Set on disconnect only.',
    mock: '1048576',
    setOn: disconnectOnly,
  },
  {
    name: 'STATS_BYTES_OUT',
    meaning: 'Bytes sent to the client during the session. Set on disconnect only.',
    mock: '5242880',
    setOn: disconnectOnly,
  },
  { name: 'STATS_DURATION', meaning: "The session's length in seconds. Set on disconnect only.", mock: '3600', setOn: disconnectOnly },
  {
    name: 'OCSERV_ROUTES',
    meaning:
      'The routes pushed to the client, IPv4 and IPv6: space-separated addr/mask, with a trailing space. Set only when there are some.',
    mock: '10.10.0.0/255.255.0.0 fd00:10::/64 ',
    setOn: all,
  },
  {
    name: 'OCSERV_ROUTES4',
    meaning: 'The IPv4 routes pushed to the client (space-separated, trailing space). Set only when there are some.',
    mock: '10.10.0.0/255.255.0.0 ',
    setOn: all,
  },
  {
    name: 'OCSERV_ROUTES6',
    meaning: 'The IPv6 routes pushed to the client (space-separated, trailing space). Set only when there are some.',
    mock: 'fd00:10::/64 ',
    setOn: all,
  },
  {
    name: 'OCSERV_NO_ROUTES',
    meaning: 'The networks excluded from the tunnel, IPv4 and IPv6 (space-separated, trailing space). Set only when there are some.',
    mock: '10.10.5.0/255.255.255.0 ',
    setOn: all,
  },
  {
    name: 'OCSERV_NO_ROUTES4',
    meaning: 'The IPv4 networks excluded from the tunnel (space-separated, trailing space). Set only when there are some.',
    mock: '10.10.5.0/255.255.255.0 ',
    setOn: all,
  },
  {
    name: 'OCSERV_NO_ROUTES6',
    meaning: 'The IPv6 networks excluded from the tunnel (space-separated, trailing space). Set only when there are some.',
    mock: 'fd00:10:5::/64 ',
    setOn: all,
  },
  {
    name: 'OCSERV_DNS',
    meaning: 'The DNS servers pushed to the client, IPv4 and IPv6 (space-separated, trailing space). Set only when there are some.',
    mock: '10.10.0.53 fd00:10::53 ',
    setOn: all,
  },
  {
    name: 'OCSERV_DNS4',
    meaning: 'The IPv4 DNS servers pushed to the client (space-separated, trailing space). Set only when there are some.',
    mock: '10.10.0.53 ',
    setOn: all,
  },
  {
    name: 'OCSERV_DNS6',
    meaning: 'The IPv6 DNS servers pushed to the client (space-separated, trailing space). Set only when there are some.',
    mock: 'fd00:10::53 ',
    setOn: all,
  },
  {
    name: 'OCSERV_RESTRICT_TO_ROUTES',
    meaning: '1 when restrict-user-to-routes is on: ocserv-fw limits the user to the routes.',
    mock: '1',
    setOn: all,
  },
  {
    name: 'OCSERV_ALLOW_PORTS',
    meaning: 'With restrict-user-to-ports: the protocols and ports allowed ("tcp 443 udp 53 icmp all ").',
    mock: 'tcp 443 udp 53 icmp all ',
    setOn: all,
  },
  {
    name: 'OCSERV_DENY_PORTS',
    meaning: 'With restrict-user-to-ports: the protocols and ports denied ("tcp 25 ").',
    mock: 'tcp 25 ',
    setOn: all,
  },
  {
    name: 'OCSERV_NEXT_SCRIPT',
    meaning:
      "Set for ocserv-fw only (with restrictions): your script's path, which ocserv-fw unsets before it runs your script as " +
      '/bin/sh script after setting up the firewall, so your script never sees it.',
    mock: '/etc/ocserv/connect.sh',
    setOn: all,
  },
];

/**
 * Whether ocserv runs ocserv-fw (which runs the script as `/bin/sh script`) for this event: with restrictions, for
 * connect and disconnect only; ocserv's src/main-user.c, call_script(), swaps in OCSERV_FW_SCRIPT only
 * `if (type != SCRIPT_HOST_UPDATE)`, so a host-update script is exec'd directly whatever ocserv.conf restricts.
 */
export function throughFw(event: string, restricted: boolean): boolean {
  return restricted && event !== 'host-update';
}

/** What ocserv does with each script's status (main-user.c, main.c). */
const exitStatus: Readonly<Record<OcservEvent, string>> = {
  connect: 'the login decision: 0 admits the user; anything else (or a signal) refuses the login. ocserv waits for it with no time limit.',
  disconnect: 'ignored: ocserv does not wait for it. It runs only for sessions whose connect script exited 0.',
  'host-update': 'ignored: ocserv does not wait for it. It runs at most once per session, when the client sends its host name.',
};

function hook(name: string, event: OcservEvent, description: string): HookSpec {
  return { name, runModel: 'executable', runBy: [event], description, env: envOf([event]), exitStatus: exitStatus[event] };
}

/** The variables ocserv sets for any of `events`. */
export function envOf(events: readonly string[]): EnvVar[] {
  return ocservEnv.filter((v) => !v.setOn || v.setOn.some((e) => events.includes(e)));
}

/** The three script keys of ocserv.conf, each a hook. */
export const ocservHooks: readonly HookSpec[] = [
  hook(
    'connect-script',
    'connect',
    "Run by ocserv's main process (as root) when a user has authenticated, before the session starts: its exit " +
      'status admits or refuses the login.',
  ),
  hook('disconnect-script', 'disconnect', 'Run when a session whose connect script exited 0 ends: undo what connect did.'),
  hook(
    'host-update-script',
    'host-update',
    'Run once per session when the client tells its host name (HOSTNAME is then known); the session goes on.',
  ),
];

/** A script ocserv runs for every event (one file wired to several keys, or mapped by hooksmith.hooks.families). */
export function combinedHook(hooks: readonly HookSpec[]): HookSpec {
  if (hooks.length === 1) return hooks[0];
  const events = ocservEvents.filter((e) => hooks.some((h) => h.runBy.includes(e)));
  return {
    name: hooks.map((h) => h.name).join(' + '),
    runModel: 'executable',
    runBy: events,
    description: `One script for ${events.join(', ')}: it tells them apart by $REASON.`,
    env: envOf(events),
    exitStatus: events.map((e) => `${e}: ${exitStatus[e]}`).join(' '),
  };
}

/**
 * A script mapped by hooksmith.hooks.families with no config to say which key runs it: its name says, else connect and disconnect (the
 * usual shared script).
 */
export function hookByName(name: string): HookSpec {
  const lower = name.toLowerCase();
  if (/dis-?connect/.test(lower)) return ocservHooks[1];
  if (/host[-_]?update/.test(lower)) return ocservHooks[2];
  if (/connect/.test(lower)) return ocservHooks[0];
  return combinedHook(ocservHooks.slice(0, 2));
}
