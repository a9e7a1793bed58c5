import { EnvVar, HookSpec } from '../family';

/** OpenVPN's script directives, in the order of a session's life; each is one hook and one event. */
export const openvpnEvents = [
  'tls-verify',
  'auth-user-pass-verify',
  'client-connect',
  'learn-address',
  'up',
  'route-up',
  'ipchange',
  'route-pre-down',
  'client-disconnect',
  'down',
] as const;
export type OpenvpnEvent = (typeof openvpnEvents)[number];

/**
 * The `script_type` OpenVPN sets for each directive. The source (ssl_verify.c) sends
 * `user-pass-verify` for auth-user-pass-verify, while the man page says `auth-user-pass-verify`.
 */
export const scriptTypeOf: Readonly<Record<OpenvpnEvent, string>> = {
  'tls-verify': 'tls-verify',
  'auth-user-pass-verify': 'user-pass-verify',
  'client-connect': 'client-connect',
  'learn-address': 'learn-address',
  up: 'up',
  'route-up': 'route-up',
  ipchange: 'ipchange',
  'route-pre-down': 'route-pre-down',
  'client-disconnect': 'client-disconnect',
  down: 'down',
};

/**
 * The scripts whose failure is fatal: init.c run_up_down runs up, down and route-pre-down with
 * S_FATAL ("WARNING: Failed running command (--up/--down): ..." then "Exiting due to fatal error").
 */
export const fatalEvents: ReadonlySet<OpenvpnEvent> = new Set<OpenvpnEvent>(['up', 'down', 'route-pre-down']);

/** One argument OpenVPN appends: its short name (as hover on the directive lists it) and what it holds. */
export interface AppendedArg {
  readonly name: string;
  readonly meaning: string;
}

const a = (name: string, meaning: string): AppendedArg => ({ name, meaning });

const tunArgs: readonly AppendedArg[] = [
  a('dev', 'the tun/tap device, as `$dev`: `tun0`.'),
  a('tun_mtu', "the tunnel's MTU, as `$tun_mtu`: `1500`."),
  a('0 (link_mtu before 2.6)', 'always `0` since OpenVPN 2.6.0 (init.c run_up_down; it was link_mtu): read nothing into it.'),
  a('ifconfig_local', "this end's tunnel address, as `$ifconfig_local`: `10.8.0.2`."),
  a(
    'ifconfig_remote or ifconfig_netmask',
    "the peer's tunnel address (topology net30 / p2p, `$ifconfig_remote`) or the tunnel's netmask (topology subnet, `$ifconfig_netmask`).",
  ),
  a(
    'init or restart',
    '`init` on start-up, `restart` when OpenVPN restarts (SIGUSR1, ping-restart) with persist-tun and up-restart: as `$script_context`.',
  ),
];

/**
 * What OpenVPN appends after the user's own words, per directive, as the source builds each argv:
 * init.c run_up_down (`%s %d 0 %s %s %s` for up, down, route-pre-down), do_route (route-up: none),
 * multi.c learn_address_script (op addr, cn only with a client instance: never on delete),
 * multi.c client-connect (the temporary file), ssl_verify.c verify_cert_call_command (`%d %s`: depth,
 * the subject as one word) and verify_user_pass_script (via-file's temporary file), socket.c
 * ipchange_fmt (`%s` of "ip port": one word, as argv.c splits only at the format's own spaces).
 */
export const appendedArgDocs: Readonly<Record<OpenvpnEvent, readonly AppendedArg[]>> = {
  up: tunArgs,
  down: tunArgs,
  'route-pre-down': tunArgs,
  'route-up': [],
  'client-connect': [
    a(
      'the temporary file for per-client config directives',
      'a temporary file to write per-client directives into (`ifconfig-push`, `push "route ..."`, `iroute`); OpenVPN reads ' +
        'it after a zero exit.',
    ),
  ],
  'client-disconnect': [],
  'learn-address': [
    a('op: add, update or delete', 'the operation: `add`, `update` or `delete`.'),
    a('addr', "the client's address (its tunnel IP, or a MAC address with dev tap; an iroute network too): `10.8.0.6`."),
    a('cn (not passed on delete)', "the client's common name, for add and update only: on `delete` there is no $3."),
  ],
  'tls-verify': [
    a(
      'depth (0: the peer, 1 and up: its CAs)',
      'the depth in the certificate chain: 0 is the peer itself, 1 and up its CAs (run once per depth, highest first).',
    ),
    a('subject', 'the X509 subject of the certificate at this depth: `C=US, O=Example, CN=client1`.'),
  ],
  'auth-user-pass-verify': [
    a(
      'with via-file: the temporary file holding the username and password lines',
      'with `via-file`: a temporary file holding the username (line 1) and the password (line 2); with `via-env` there is no argument.',
    ),
  ],
  ipchange: [
    a(
      'ip port (one argument)',
      "the peer's new real address and port in one argument, separated by a space: `198.51.100.23 51820`. The man page " +
        'names two arguments, but OpenVPN formats them into one word (socket.c ipchange_fmt): read `$trusted_ip` and ' +
        '`$trusted_port`, or split it (`${1% *}`, `${1#* }`).',
    ),
  ],
};

/** The arguments OpenVPN appends after the user's own, per directive: their short names. */
export const appendedArgs: Readonly<Record<OpenvpnEvent, readonly string[]>> = Object.fromEntries(
  openvpnEvents.map((e) => [e, appendedArgDocs[e].map((x) => x.name)]),
) as unknown as Record<OpenvpnEvent, readonly string[]>;

const server: readonly OpenvpnEvent[] = ['tls-verify', 'auth-user-pass-verify', 'client-connect', 'learn-address', 'client-disconnect'];
/**
 * A server's client once it is connected (multi.c multi_client_connect_early_setup selects its tunnel
 * address and sets these before client-connect; learn-address and client-disconnect run in the same environment).
 */
const connected: readonly OpenvpnEvent[] = ['client-connect', 'learn-address', 'client-disconnect'];
/** Every script but the two that run before the peer is authenticated (socket.c setenv_trusted comes after them). */
const authenticated: readonly OpenvpnEvent[] = openvpnEvents.filter((e) => e !== 'tls-verify' && e !== 'auth-user-pass-verify');
const tunnel: readonly OpenvpnEvent[] = ['up', 'down', 'route-up', 'route-pre-down'];
const all = openvpnEvents;

const setOnText = (on: readonly string[]): string => (on.length === all.length ? 'Set for every script.' : `Set for ${on.join(', ')}.`);

function v(name: string, meaning: string, mock: string, setOn: readonly OpenvpnEvent[] = all): EnvVar {
  return { name, meaning: `${meaning} ${setOnText(setOn)}`, mock, setOn };
}

/** The environment OpenVPN gives its scripts (script-options.rst, "Environmental Variables"), with a client's and a server's values. */
export const openvpnEnv: readonly EnvVar[] = [
  v(
    'script_type',
    'Which directive runs the script: up, down, route-up, route-pre-down, ipchange, tls-verify, client-connect, ' +
      'client-disconnect, learn-address, or user-pass-verify (what the source sends for auth-user-pass-verify; the man ' +
      'page says auth-user-pass-verify: accept both).',
    'up',
  ),
  v('script_context', 'init for the first run, restart for a run after a SIGUSR1 restart (with up-restart).', 'init'),
  v('dev', 'The tun/tap device: tun0.', 'tun0'),
  v('dev_type', 'tun or tap.', 'tun'),
  v('tun_mtu', "The tunnel's MTU.", '1500', tunnel),
  v('ifconfig_local', "This end's address in the tunnel.", '10.8.0.2', tunnel),
  v('ifconfig_remote', "The other end's address (topology net30 / p2p; with topology subnet ifconfig_netmask is set instead).", '', []),
  v('ifconfig_netmask', "The tunnel network's netmask (topology subnet).", '255.255.255.0', tunnel),
  v('ifconfig_ipv6_local', "This end's IPv6 address in the tunnel.", 'fd00:8::1000', tunnel),
  v('ifconfig_ipv6_netbits', "The tunnel's IPv6 prefix length.", '64', tunnel),
  v('ifconfig_ipv6_remote', "The other end's IPv6 address in the tunnel.", 'fd00:8::1', tunnel),
  v('route_vpn_gateway', 'The gateway of the routes pushed through the tunnel.', '10.8.0.1', tunnel),
  v('route_net_gateway', 'The default gateway before the tunnel (the local network).', '192.168.1.1', tunnel),
  v('route_network_1', 'The network of the first route (route_network_<n>, n from 1).', '10.20.0.0', tunnel),
  v('route_netmask_1', 'The netmask of the first route.', '255.255.0.0', tunnel),
  v('route_gateway_1', 'The gateway of the first route.', '10.8.0.1', tunnel),
  v('route_metric_1', 'The metric of the first route (when set).', '', []),
  v('route_network_2', 'The network of the second route.', '10.30.0.0', tunnel),
  v('route_netmask_2', 'The netmask of the second route.', '255.255.255.0', tunnel),
  v('route_gateway_2', 'The gateway of the second route.', '10.8.0.1', tunnel),
  v('route_ipv6_network_1', 'The first IPv6 route (route_ipv6_network_<n>).', 'fd00:20::/64', tunnel),
  v('route_ipv6_gateway_1', 'The gateway of the first IPv6 route.', 'fd00:8::1', tunnel),
  v(
    'foreign_option_1',
    'An option the server pushed (dhcp-option DNS ..., dhcp-option DOMAIN ...), n from 1.',
    'dhcp-option DNS 10.20.0.53',
    tunnel,
  ),
  v('foreign_option_2', 'The second pushed option.', 'dhcp-option DOMAIN corp.example', tunnel),
  v('config', 'The configuration file OpenVPN was started with.', '/etc/openvpn/client.conf'),
  v('daemon', '1 when OpenVPN runs as a daemon, 0 otherwise.', '0'),
  v('daemon_log_redirect', '1 when the log is redirected to a file.', '0'),
  v('local_port_1', 'The local port.', '1194'),
  v('proto_1', 'The protocol: udp, tcp-client, tcp-server.', 'udp'),
  v('remote_1', 'The remote given by the first --remote (client).', 'vpn.example.com', tunnel),
  v('remote_port_1', 'The port of the first --remote.', '1194', tunnel),
  v('trusted_ip', "The peer's real (public) address, once authenticated: not its address in the tunnel.", '198.51.100.23', authenticated),
  v('trusted_port', "The peer's real port, once authenticated.", '51820', authenticated),
  v('trusted_ip6', "The peer's real IPv6 address (IPv6 transports).", '', []),
  v('untrusted_ip', "The peer's real address before it is authenticated.", '198.51.100.23', [
    'tls-verify',
    'auth-user-pass-verify',
    'ipchange',
  ]),
  v('untrusted_port', "The peer's real port before it is authenticated.", '51820', ['tls-verify', 'auth-user-pass-verify', 'ipchange']),
  v(
    'ifconfig_pool_remote_ip',
    "The client's address in the tunnel (server): what a firewall rule about tunnel traffic names.",
    '10.8.0.6',
    connected,
  ),
  v('ifconfig_pool_netmask', "The tunnel network's netmask (server, topology subnet).", '255.255.255.0', connected),
  v('ifconfig_pool_remote_ip6', "The client's IPv6 address in the tunnel (server).", 'fd00:8::1001', connected),
  v('common_name', "The peer's certificate common name, characters outside [A-Za-z0-9_.@-] remapped to _.", 'client1'),
  v('username', 'The username the client sent (auth-user-pass), from auth-user-pass-verify on.', 'jdoe', [
    'auth-user-pass-verify',
    ...connected,
  ]),
  v('client_connect_config_file', "client-connect's temporary file for per-client directives: the same file as its last argument.", '', [
    'client-connect',
  ]),
  v(
    'client_connect_deferred_file',
    "client-connect's status file: write 2 to defer the client, then 1 (accept) or 0 (refuse) when done.",
    '',
    ['client-connect'],
  ),
  v('password', 'The password the client sent: auth-user-pass-verify via-env only, and only with script-security 3.', 's3cret', [
    'auth-user-pass-verify',
  ]),
  v(
    'peer_cert',
    'With --tls-export-cert DIR: a temporary file in DIR holding, in PEM, the certificate of the depth being verified ' +
      '(the CA at depth 1 and up, the peer at 0); OpenVPN deletes it after the script (ssl_verify.c).',
    '',
    [],
  ),
  v(
    'tls_id_0',
    'The subject of the certificate at depth 0 (the peer), its fields in certificate order.',
    'C=US, O=Example, CN=client1',
    server,
  ),
  v('tls_serial_0', 'The serial number of the certificate at depth 0.', '4660', server),
  v(
    'tls_digest_0',
    'The SHA-1 fingerprint of the certificate at depth 0.',
    'a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:01:12:23:34',
    server,
  ),
  v(
    'tls_digest_sha256_0',
    'The SHA-256 fingerprint of the certificate at depth 0.',
    'a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:01:12:23:34:45:56:67:78:89:9a:ab:bc:cd:de:ef:f0:0f:1e',
    server,
  ),
  v('tls_serial_hex_0', 'The serial number of the certificate at depth 0, in hex bytes (12:34).', '12:34', server),
  v('X509_0_CN', 'The CN field of the certificate at depth 0 (X509_<depth>_<field>).', 'client1', server),
  v('bytes_sent', 'Bytes sent to the peer during the session.', '5242880', ['client-disconnect', 'down', 'route-pre-down']),
  v('bytes_received', 'Bytes received from the peer during the session.', '1048576', ['client-disconnect', 'down', 'route-pre-down']),
  v('time_unix', 'When the session started, in seconds since 1970.', '1764700000', [
    'client-connect',
    'client-disconnect',
    'learn-address',
  ]),
  v('time_ascii', 'When the session started, as text.', 'Tue Dec  2 18:26:40 2025', [
    'client-connect',
    'client-disconnect',
    'learn-address',
  ]),
  v('time_duration', "The session's length in seconds.", '3600', ['client-disconnect']),
  v('signal', 'The signal or reason that ends the tunnel: sigterm, sigint, ping-restart...', 'sigterm', ['down', 'route-pre-down']),
];

const exitStatus: Readonly<Record<OpenvpnEvent, string>> = {
  up: 'fatal when non-zero: OpenVPN stops.',
  down: 'fatal when non-zero: OpenVPN logs the failure and exits with an error.',
  'route-up': 'logged when non-zero; the tunnel stays up.',
  'route-pre-down':
    'fatal when non-zero (it runs through the same code as up and down): OpenVPN exits at once, before it removes the ' +
    'routes and before down runs.',
  'client-connect': 'non-zero refuses the client: it is disconnected (and client-disconnect is not run for it).',
  'client-disconnect': 'logged; the client is gone anyway.',
  'learn-address': 'non-zero on add or update rejects the address.',
  'tls-verify': '0 accepts the certificate at this depth; anything else fails the TLS handshake.',
  'auth-user-pass-verify': '0 accepts the user, 1 rejects, 2 defers the decision.',
  ipchange: 'logged when non-zero.',
};

const descriptions: Readonly<Record<OpenvpnEvent, string>> = {
  up: 'Run after the tun device opens (as root, before the privilege drop): set up routes, DNS, firewall rules.',
  down:
    'Run after the tun device closes and after the privilege drop: with user/group it runs as that user, unless the ' +
    'down-root plugin runs it.',
  'route-up': "Run after OpenVPN has added the tunnel's routes.",
  'route-pre-down': "Run before OpenVPN removes the tunnel's routes.",
  'client-connect': 'Run on the server when a client connects: its last argument is a file to write per-client directives into.',
  'client-disconnect': 'Run on the server when a client whose client-connect succeeded disconnects.',
  'learn-address':
    'Run on the server when a client address is added, updated or deleted: op addr [cn]. On delete OpenVPN has no ' +
    'client any more (multi.c runs it without one): no cn, and an environment that holds script_type alone.',
  'tls-verify': 'Run for each certificate of the peer chain, from its CA (depth 1 and up) to the peer (depth 0).',
  'auth-user-pass-verify':
    'Run on the server to check a username and password (via-env: in the environment; via-file: in a file named last).',
  ipchange: "Run when the peer's address changes (and on the first connection).",
};

/** The name openvpn_run_script logs for each directive's script. */
const logName: Readonly<Record<OpenvpnEvent, string>> = {
  up: '--up/--down',
  down: '--up/--down',
  'route-pre-down': '--up/--down',
  'route-up': '--route-up',
  'client-connect': '--client-connect',
  'client-disconnect': '--client-disconnect',
  'learn-address': '--learn-address',
  'tls-verify': '--tls-verify script',
  'auth-user-pass-verify': '--auth-user-pass-verify',
  ipchange: '--ipchange',
};

/**
 * What OpenVPN logs and does when script-security (below 2) stops a directive's script:
 * run_command.c openvpn_execve refuses it with SCRIPT_SECURITY_WARNING, and openvpn_execve_check
 * reports "disallowed by script-security setting" as the script's failure (fatal for up, down and route-pre-down).
 */
export function refusedByScriptSecurity(event: OpenvpnEvent): string {
  return (
    `OpenVPN logs "WARNING: External program may not be called unless '--script-security 2' or higher is enabled. ` +
    `See --help text or man page for detailed info." and "WARNING: Failed running command (${logName[event]}): ` +
    `disallowed by script-security setting", and takes it as a failed ${event} script (${exitStatus[event].replace(/\.$/, '')}).`
  );
}

/** The variables OpenVPN sets for any of `events`. */
export function envOf(events: readonly string[]): EnvVar[] {
  return openvpnEnv.filter((e) => !e.setOn || e.setOn.some((s) => events.includes(s)));
}

function hook(event: OpenvpnEvent): HookSpec {
  const args = appendedArgs[event];
  const argText = args.length
    ? ` OpenVPN appends ${args.map((a, i) => `$${i + 1} ${a}`).join(', ')} after your own arguments.`
    : ' OpenVPN appends no arguments.';
  return {
    name: event,
    description: descriptions[event] + argText,
    runModel: 'executable',
    runBy: [event],
    env: envOf([event]),
    exitStatus: exitStatus[event],
  };
}

export const openvpnHooks: readonly HookSpec[] = openvpnEvents.map(hook);

export function hookOf(event: OpenvpnEvent): HookSpec {
  return openvpnHooks[openvpnEvents.indexOf(event)];
}

/** One script wired to several directives (a common up/down script): runBy is the union, in life order. */
export function combinedHook(hooks: readonly HookSpec[]): HookSpec {
  if (hooks.length === 1) return hooks[0];
  const events = openvpnEvents.filter((e) => hooks.some((h) => h.runBy.includes(e)));
  return {
    name: events.join(' + '),
    runModel: 'executable',
    runBy: events,
    description: `One script for ${events.join(', ')}: it tells them apart by $script_type.`,
    env: envOf(events),
    exitStatus: events.map((e) => `${e}: ${exitStatus[e]}`).join(' '),
  };
}

/** A script mapped by hooksmith.hooks.families with no config naming it: its name says, else up and down. */
export function hookByName(name: string): HookSpec {
  const lower = name.toLowerCase();
  if (/resolv|updown|up-?down/.test(lower)) return combinedHook([hookOf('up'), hookOf('down')]);
  const word = (e: string): boolean => new RegExp(`(^|[^a-z])${e}([^a-z]|$)`).test(lower);
  const named = [...openvpnEvents].sort((a, b) => b.length - a.length).find(word);
  if (named) return hookOf(named);
  if (/learn/.test(lower)) return hookOf('learn-address');
  if (/verify|auth/.test(lower)) return hookOf('auth-user-pass-verify');
  return combinedHook([hookOf('up'), hookOf('down')]);
}
