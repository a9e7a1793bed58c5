import { isIP } from 'node:net';
import type { ConfigEntry } from '../../../config/keyValue';

/** What ocserv.conf says about a session's variables: values to set, variables ocserv would not set, and what they came from. */
export interface ConfigSession {
  readonly env: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
  readonly from: readonly string[];
}

/**
 * The session's variables as ocserv derives them from the global section of ocserv.conf, for the keys
 * it sets (the others keep the simulation's example values: per-user configs or RADIUS may set them).
 * - route / no-route / dns (all three from the config once it has one of them): ocserv's src/main-user.c,
 *   export_fw_info(), joins each list with a space after every entry and splits it by the ':' of IPv6 entries
 *   into the 4 and 6 variants, set only when non-empty;
 *   src/ip-util.c, ip_route_sanity_check(), rewrites an IPv4 /prefix as a dotted netmask; `route = default`
 *   is the keyword for "all traffic", not a route.
 * - ipv4-network / ipv6-network: src/ip-lease.c gives the server's end the network's own address + 1, the
 *   client an address in the network, and IPV6_PREFIX is ipv6-subnet-prefix (128 unless set, src/config.c).
 *   A config with one family of network only has sessions of that family (no IP_LOCAL without an IPv4 one).
 * - device: the tun device is named device + a number (src/tun.c, "%s%%d").
 */
export function sessionFromConfig(global: readonly ConfigEntry[]): ConfigSession {
  const env: Record<string, string> = {};
  const unset: string[] = [];
  const from: string[] = [];
  const values = (key: string): string[] => global.filter((e) => e.key === key).map((e) => e.value.trim().replace(/^"(.*)"$/, '$1'));
  const last = (key: string): string | undefined => values(key).at(-1);
  const lists = [
    ['route', 'OCSERV_ROUTES'],
    ['no-route', 'OCSERV_NO_ROUTES'],
    ['dns', 'OCSERV_DNS'],
  ] as const;
  // A config that lists any of them lists what it pushes: the lists it leaves out are unset, not examples.
  const listed = lists.some(([key]) => values(key).length > 0);
  for (const [key, name] of listed ? lists : []) {
    const list = values(key).filter((v) => v && v !== 'default');
    if (values(key).length) from.push(key);
    const shown = list.map(key === 'dns' ? (v) => v : dottedRoute);
    setList(env, unset, name, shown);
    setList(
      env,
      unset,
      `${name}4`,
      shown.filter((v) => !v.includes(':')),
    );
    setList(
      env,
      unset,
      `${name}6`,
      shown.filter((v) => v.includes(':')),
    );
  }
  const v4 = ipv4Lease(last('ipv4-network'), last('ipv4-netmask'));
  const v6 = ipv6Lease(last('ipv6-network'), last('ipv6-prefix'), last('ipv6-subnet-prefix'));
  if (v4 || v6) {
    from.push(...(v4 ? ['ipv4-network'] : []), ...(v6 ? ['ipv6-network'] : []));
    if (v4) Object.assign(env, v4);
    else unset.push('IP_LOCAL', 'IP_REMOTE');
    if (v6) Object.assign(env, v6);
    else unset.push('IPV6_LOCAL', 'IPV6_REMOTE', 'IPV6_PREFIX');
  }
  const device = last('device');
  if (device && /^[A-Za-z][\w.-]{0,12}$/.test(device)) {
    env.DEVICE = `${device}0`;
    from.push('device');
  }
  return { env, unset, from };
}

function setList(env: Record<string, string>, unset: string[], name: string, list: readonly string[]): void {
  if (list.length) env[name] = list.map((v) => `${v} `).join('');
  else unset.push(name);
}

/** 10.10.0.0/16 as ocserv exports it: 10.10.0.0/255.255.0.0 (IPv6 and dotted masks unchanged). */
function dottedRoute(route: string): string {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(route);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 32) return route;
  return `${m[1]}/${toV4(maskOf(Number(m[2]), 32))}`;
}

/** The server's and a client's IPv4 tunnel addresses in ipv4-network (a /prefix or ipv4-netmask). */
function ipv4Lease(network: string | undefined, netmask: string | undefined): Record<string, string> | undefined {
  const [addr, len] = (network ?? '').split('/');
  if (isIP(addr) !== 4) return undefined;
  const bits = len !== undefined ? Number(len) : netmask && isIP(netmask) === 4 ? ones(fromV4(netmask), 32) : NaN;
  if (!(bits >= 8 && bits <= 30)) return undefined;
  const net = fromV4(addr) & maskOf(bits, 32);
  return { IP_LOCAL: toV4(net | 1n), IP_REMOTE: toV4(net | (27n & ~maskOf(bits, 32))) };
}

/** IPV6_LOCAL (the network's address + 1), a client address outside the network's first subnet, and the subnet's prefix. */
function ipv6Lease(
  network: string | undefined,
  prefixKey: string | undefined,
  subnetKey: string | undefined,
): Record<string, string> | undefined {
  const [addr, len] = (network ?? '').split('/');
  if (isIP(addr) !== 6) return undefined;
  const prefix = Number(len ?? prefixKey);
  const subnet = subnetKey === undefined ? 128 : Number(subnetKey);
  if (!(prefix > 10 && prefix < subnet && subnet <= 128)) return undefined;
  const mask = maskOf(prefix, 128);
  const net = fromV6(addr) & mask;
  // A fixed stand-in for ocserv's random pick, with host bits right after the prefix so the subnet is not the first.
  const client = net | (0x3a17_5c2e_9d41_a0b8_6f13n & ~mask) | (1n << BigInt(128 - subnet));
  return { IPV6_LOCAL: toV6(net | 1n), IPV6_REMOTE: toV6(client), IPV6_PREFIX: String(subnet) };
}

function maskOf(bits: number, width: number): bigint {
  return ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
}

function ones(value: bigint, width: number): number {
  let n = 0;
  for (let i = width - 1; i >= 0 && (value >> BigInt(i)) & 1n; i--) n++;
  return n;
}

function fromV4(a: string): bigint {
  return a.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function toV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function fromV6(a: string): bigint {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** An IPv6 address in its short form (the longest run of two or more zero groups as ::). */
function toV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}
