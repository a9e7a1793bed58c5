/**
 * `restrict-user-to-ports` as ocserv reads it (src/config-ports.c, cfg_parse_ports()): `tcp(443), udp(53), icmp()`
 * allows those, `!(tcp(25), udp(53))` denies them; a protocol is tcp, udp, sctp, icmp, icmpv6 or esp (any letter
 * case), and a value it cannot read stops ocserv at start ("cannot parse restrict-user-to-ports", exit 1).
 */
export type PortRestriction =
  | { readonly ok: true; readonly deny: boolean; readonly entries: readonly PortEntry[] }
  | { readonly ok: false; readonly at: number; readonly end: number; readonly why: string };

export interface PortEntry {
  readonly proto: string;
  readonly port: number;
}

const protocols = ['tcp', 'udp', 'sctp', 'icmpv6', 'icmp', 'esp'];
/** Protocols ocserv exports with "all" instead of a port (src/main-user.c, export_fw_info()). */
const portless = new Set(['icmp', 'icmpv6', 'esp']);

/** Parses the value as written in ocserv.conf (outer double quotes allowed); `at` is an offset in `raw`. */
export function parsePortRestriction(raw: string): PortRestriction {
  const quoted = /^(\s*")(.*)"\s*$/.exec(raw);
  const base = quoted ? quoted[1].length : 0;
  const text = quoted ? quoted[2] : raw;
  // Nothing to read: no restriction, and nothing for the linter to claim about how ocserv treats it.
  if (!text.trim()) return { ok: true, deny: false, entries: [] };
  const result = parseUnquoted(text);
  return result.ok ? result : { ...result, at: result.at + base, end: base + text.length };
}

function parseUnquoted(text: string): PortRestriction | { readonly ok: false; readonly at: number; readonly why: string } {
  let i = skipSpace(text, 0);
  let deny = false;
  if (text[i] === '!') {
    deny = true;
    i = skipSpace(text, i + 1);
    if (text[i] !== '(') return { ok: false, at: i, why: 'a ( after the !' };
    i++;
  }
  const entries: PortEntry[] = [];
  for (;;) {
    // An error is reported from the start of the entry ocserv could not read.
    const entry = (i = skipSpace(text, i));
    const proto = protocols.find((p) => text.slice(i, i + p.length).toLowerCase() === p);
    if (!proto) return { ok: false, at: entry, why: `a protocol (${protocols.join(', ')})` };
    i = skipSpace(text, i + proto.length);
    if (text[i] !== '(') return { ok: false, at: entry, why: `( after ${proto}` };
    const close = text.indexOf(')', i);
    if (close < 0) return { ok: false, at: entry, why: 'a closing )' };
    entries.push({ proto, port: leadingInt(text.slice(i + 1, close)) });
    i = skipSpace(text, close + 1);
    if (i >= text.length || (deny && text[i] === ')')) return { ok: true, deny, entries };
    if (text[i] !== ',') return { ok: false, at: i, why: 'a comma or the end of the value' };
    i++;
  }
}

/** The value of OCSERV_ALLOW_PORTS / OCSERV_DENY_PORTS: "tcp 443 udp 53 icmp all " (a space after each word). */
export function exportedPorts(entries: readonly PortEntry[]): string {
  return entries.map((e) => `${e.proto} ${portless.has(e.proto) ? 'all' : e.port} `).join('');
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

/** atoi(): the leading digits after blanks, 0 when there are none. */
function leadingInt(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number.parseInt(m[0], 10) : 0;
}
