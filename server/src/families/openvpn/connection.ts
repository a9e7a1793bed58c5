import { ConfigEntry, parseKeyValue, ParsedConfig } from '../../config/keyValue';
import { Finding, finding } from '../../diagnostics';
import { splitArgs } from './argv';
import { dashless } from './dashless';
import { knownDirectives } from './directives';

/** What OpenVPN 2.6 takes inside `<connection>` (its man page, --connection): anything else stops it. */
export const connectionDirectives: ReadonlySet<string> = new Set(
  (
    'bind connect-retry connect-retry-max connect-timeout explicit-exit-notify float fragment http-proxy http-proxy-option ' +
    'key-direction link-mtu local lport mssfix mtu-disc nobind port proto remote rport socks-proxy tls-auth tls-crypt ' +
    'tls-crypt-v2 tun-mtu tun-mtu-extra'
  ).split(' '),
);

const scriptLike = new Set([
  'up',
  'down',
  'route-up',
  'route-pre-down',
  'client-connect',
  'client-disconnect',
  'learn-address',
  'tls-verify',
  'auth-user-pass-verify',
  'ipchange',
  'script-security',
  'user',
  'group',
]);

const protocols = new Set('udp udp4 udp6 tcp tcp4 tcp6 tcp-client tcp4-client tcp6-client tcp-server tcp4-server tcp6-server'.split(' '));

/** The directives of each `<connection>` block, parsed as the config's own lines are, at their offsets in the file. */
export function connectionBlocks(
  config: ParsedConfig,
): { readonly start: number; readonly end: number; readonly entries: ConfigEntry[] }[] {
  return config.blocks
    .filter((b) => b.tag === 'connection')
    .map((b) => {
      const text = config.text;
      const innerStart = text.indexOf('\n', b.span.start) + 1;
      const innerEnd = b.span.end - '</connection>'.length;
      const inner = parseKeyValue(text.slice(innerStart, Math.max(innerStart, innerEnd)), {
        separator: 'whitespace',
        comments: '#;',
        inlineBlocks: true,
      });
      const shift = <T extends { start: number; end: number }>(s: T) => ({ ...s, start: s.start + innerStart, end: s.end + innerStart });
      return {
        start: b.span.start,
        end: b.span.end,
        entries: dashless(inner).entries.map((e) => ({ ...e, keySpan: shift(e.keySpan), valueSpan: shift(e.valueSpan) })),
      };
    });
}

/**
 * `<connection>` blocks as OpenVPN reads them ("[CONNECTION-OPTIONS]"): only the connection options
 * may be inside (a script directive there stops OpenVPN: "option 'up' cannot be used in this
 * context"), and each block needs exactly one `remote`. Unknown options inside go to `unknown`.
 */
export function connectionFindings(config: ParsedConfig, unknown: (e: ConfigEntry) => Finding): Finding[] {
  const found: Finding[] = [];
  for (const block of connectionBlocks(config)) {
    for (const e of block.entries) {
      if (!knownDirectives.has(e.key)) found.push(unknown(e));
      else if (!connectionDirectives.has(e.key)) found.push(notInConnection(e));
      else if (e.key === 'remote') found.push(...remoteFindings(e));
      else if (e.key === 'port' || e.key === 'lport' || e.key === 'rport') found.push(...portFindings(e));
      else if (e.key === 'proto') found.push(...protoFindings(e));
    }
    const remotes = block.entries.filter((e) => e.key === 'remote');
    if (remotes.length !== 1) {
      const openEnd = block.start + '<connection>'.length;
      const [start, end] = remotes.length ? [remotes[1].keySpan.start, remotes[1].keySpan.end] : [block.start, openEnd];
      found.push(
        finding(
          'HS628',
          start,
          end,
          `${remotes.length ? `This <connection> block has ${remotes.length} remote lines` : 'This <connection> block has no remote'}: ` +
            `OpenVPN refuses it ("Each 'connection' block must contain exactly one 'remote' directive") and does not start. ` +
            'Give each server a block of its own.',
        ),
      );
    }
  }
  return found;
}

function notInConnection(e: ConfigEntry): Finding {
  const why = scriptLike.has(e.key)
    ? `${e.key} sets how the whole process runs its scripts, not one connection: move it above the block.`
    : 'Move it above the blocks: an option before the first <connection> applies to every connection.';
  return finding(
    'HS627',
    e.keySpan.start,
    e.keySpan.end,
    `OpenVPN refuses ${e.key} inside <connection> ("option '${e.key}' cannot be used in this context ([CONNECTION-OPTIONS])") ` +
      `and does not start. ${why} Inside a block only ${[...connectionDirectives].join(', ')} may be.`,
  );
}

/** The word at `index` of an entry's value, with its offsets in the file. */
function word(e: ConfigEntry, index: number): { text: string; start: number; end: number } | undefined {
  const split = splitArgs(e.value);
  if (!('words' in split)) return undefined;
  const w = split.words[index];
  return w && { text: w.text, start: e.valueSpan.start + w.start, end: e.valueSpan.start + w.end };
}

/** `remote host [port] [proto]`, inside a block or out of one. */
export function remoteFindings(e: ConfigEntry): Finding[] {
  const host = word(e, 0);
  if (!host) return [finding('HS629', e.keySpan.start, e.keySpan.end, 'remote names no server: write remote HOST [PORT] [PROTO].')];
  const found: Finding[] = [];
  const port = word(e, 1);
  if (port) found.push(...checkPort(port));
  const proto = word(e, 2);
  if (proto) found.push(...checkProto(proto));
  const extra = word(e, 3);
  if (extra)
    found.push(
      finding(
        'HS629',
        extra.start,
        e.valueSpan.end,
        'remote takes a host, a port and a protocol: OpenVPN refuses these extra words ("Unrecognized option or missing or ' +
          'extra parameter(s)") and does not start.',
      ),
    );
  return found;
}

export function portFindings(e: ConfigEntry): Finding[] {
  const port = word(e, 0);
  return port ? checkPort(port) : [];
}

export function protoFindings(e: ConfigEntry): Finding[] {
  const proto = word(e, 0);
  return proto ? checkProto(proto) : [];
}

function checkPort(w: { text: string; start: number; end: number }): Finding[] {
  const n = /^\d{1,5}$/.test(w.text) ? Number(w.text) : NaN;
  if (n >= 1 && n <= 65535) return [];
  return [
    finding(
      'HS629',
      w.start,
      w.end,
      `${w.text} is not a port: OpenVPN wants a number from 1 to 65535 ("Bad port number") and does not start.`,
    ),
  ];
}

function checkProto(w: { text: string; start: number; end: number }): Finding[] {
  if (protocols.has(w.text)) return [];
  return [
    finding(
      'HS629',
      w.start,
      w.end,
      `${w.text} is not a protocol OpenVPN knows ("Bad protocol"): use udp, tcp-client (tcp), tcp-server, or their 4 / 6 ` +
        'forms (udp6, tcp4-client...).',
    ),
  ];
}
