import { ParsedConfig } from '../../config/keyValue';
import { HookCompletion } from '../../hooks/completion';
import { envMarkdown, hookMarkdown } from '../../hooks/docs';
import { HookHover } from '../../hooks/hover';
import { HookFamily } from '../family';
import { hookKeyOf, specOf, wgEnv } from './hooks';
import { parsedLines } from './analysis';
import { scriptOf } from './config';
import { interfaceOf, isInterfaceSection, substituted } from './lines';
import * as path from 'node:path';
import { runBefore } from '../../text/runs';

/** What each key does (wg-quick(8), wg(8)); the hook keys' text comes from their hook specs. */
const keyDocs: Readonly<Record<string, { readonly section: 'Interface' | 'Peer'; readonly doc: string }>> = {
  PrivateKey: { section: 'Interface', doc: "The interface's private key (base64), as `wg genkey` writes it." },
  ListenPort: { section: 'Interface', doc: 'The UDP port to listen on; chosen at random when not set.' },
  FwMark: { section: 'Interface', doc: 'A firewall mark for outgoing packets (`off` or a number).' },
  Address: { section: 'Interface', doc: 'Addresses (with prefix) wg-quick puts on the interface, comma-separated; may repeat.' },
  DNS: { section: 'Interface', doc: 'DNS servers (and search domains) set through resolvconf while the interface is up.' },
  MTU: { section: 'Interface', doc: 'The MTU; wg-quick works one out from the endpoints when not set.' },
  Table: { section: 'Interface', doc: 'The routing table for the routes of AllowedIPs: `off`, `auto` (default) or a table.' },
  SaveConfig: { section: 'Interface', doc: '`true`: wg-quick down writes the running configuration back to the file.' },
  PublicKey: { section: 'Peer', doc: "The peer's public key (base64)." },
  PresharedKey: { section: 'Peer', doc: 'An optional symmetric key added to the handshake (base64).' },
  AllowedIPs: {
    section: 'Peer',
    doc: 'Addresses routed to this peer and accepted from it, comma-separated; wg-quick adds routes for them.',
  },
  Endpoint: { section: 'Peer', doc: "The peer's address and port (`host:port`)." },
  PersistentKeepalive: { section: 'Peer', doc: 'Seconds between keepalive packets (`off` or 1-65535); 25 keeps a NAT mapping open.' },
};

const hookKeys = ['PreUp', 'PostUp', 'PreDown', 'PostDown'];

/** The line holding `offset`, and where it starts. */
function lineAt(text: string, offset: number): { start: number; before: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return { start, before: text.slice(start, offset) };
}

/** The section the line at `offset` is in (the last `[...]` line above it). */
function sectionAt(text: string, offset: number): string | undefined {
  const lines = text.slice(0, offset).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\uFEFF?[ \t]*\[([^\]]*)\]/.exec(lines[i]);
    if (m) return m[1].trim();
  }
  return undefined;
}

/**
 * At the start of a line: the keys of its section (hook keys in [Interface]) or the section
 * names; in a hook line's value after `$`: wg-quick's own variables; after `%`: `%i`.
 */
export function wgCompletion(family: () => HookFamily) {
  return (config: ParsedConfig, offset: number): HookCompletion[] => {
    const { text } = config;
    const { start, before } = lineAt(text, offset);
    const end = offset + (/^[A-Za-z0-9_]*/.exec(text.slice(offset))?.[0].length ?? 0);
    const keyTyped = /^[ \t]*([A-Za-z]*)$/.exec(before);
    if (keyTyped) {
      const section = sectionAt(text, start);
      const wanted = section?.toLowerCase() === 'peer' ? 'Peer' : 'Interface';
      const from = offset - keyTyped[1].length;
      return Object.entries(keyDocs)
        .filter(([, d]) => d.section === wanted)
        .map(([key, d]) => keyItem(key, d.doc, from, end))
        .concat(wanted === 'Interface' ? hookKeys.map((k) => keyItem(k, specOf(hookKeyOf(k)!).description, from, end)) : []);
    }
    const hookLine = /^[ \t]*(PreUp|PostUp|PreDown|PostDown)[ \t]*=(.*)$/i.exec(before);
    if (!hookLine || !isInterfaceSection(sectionAt(text, start))) return [];
    const spec = specOf(hookKeyOf(hookLine[1])!);
    if (/%$/.test(before))
      return [
        {
          label: '%i',
          kind: 'variable',
          insert: '%i',
          start: offset - 1,
          end: offset,
          detail: 'the interface name',
          documentation: percentIDoc,
        },
      ];
    const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
    if (!variable) return [];
    const from = offset - (variable[1]?.length ?? 0);
    return wgEnv.map((v) => ({
      label: v.name,
      kind: 'variable' as const,
      insert: v.name,
      start: from,
      end,
      detail: v.meaning,
      documentation: envMarkdown(v, { family: family(), hook: spec }),
    }));
  };
}

const percentIDoc =
  '**%i** · wg-quick replaces it with the interface name (the config file name without `.conf`) in this line before ' +
  'it runs it; nowhere else (not in a script the line runs).';

const percentIHere = (file: string | undefined): string =>
  file === undefined ? percentIDoc : `${percentIDoc}\n\nIn ${path.basename(file)}: \`${interfaceOf(file)}\`.`;

function keyItem(key: string, doc: string, start: number, end: number): HookCompletion {
  return { label: key, kind: 'key', insert: `${key} = `, start, end, detail: doc, documentation: doc };
}

/** On a key: what it does (a hook key: when it runs and what a failure does); on `%i` or `$INTERFACE` in a hook line: what it holds. */
export function wgHover(family: () => HookFamily) {
  return (config: ParsedConfig, offset: number, file?: string): HookHover | undefined => {
    const entry = config.entries.find((e) => offset >= e.keySpan.start && offset <= e.valueSpan.end);
    if (!entry) return undefined;
    const hook = hookKeyOf(entry.key);
    if (offset <= entry.keySpan.end) {
      const at = { start: entry.keySpan.start, end: entry.keySpan.end };
      if (hook) return { contents: hookMarkdown({ family: family(), hook: specOf(hook) }), ...at };
      const known = Object.entries(keyDocs).find(([k]) => k.toLowerCase() === entry.key);
      return known ? { contents: `**${known[0]}** · [${known[1].section}]\n\n${known[1].doc}`, ...at } : undefined;
    }
    if (!hook) return undefined;
    const called = scriptCallHover(config, offset, entry, file);
    if (called) return called;
    const text = config.text;
    const start = offset - runBefore(text, offset, /[%\w]/, entry.valueSpan.start);
    const end = offset + (/^%?\w*/.exec(text.slice(offset, entry.valueSpan.end))?.[0].length ?? 0);
    const word = text.slice(start, end);
    if (word === '%i') return { contents: percentIHere(file), start, end };
    const v = wgEnv.find((e) => e.name === word);
    return v && /[${]/.test(text[start - 1] ?? '')
      ? { contents: envMarkdown(v, { family: family(), hook: specOf(hook) }), start, end }
      : undefined;
  };
}

/**
 * On a script a hook line runs (`PostUp = /etc/wireguard/up.sh %i 10.99.0.0/24`) or one of its
 * arguments: what the script gets as $1, $2 ... once wg-quick has replaced %i and bash has
 * expanded wg-quick's own variables; undefined elsewhere (or when the shell parser is not loaded).
 */
function scriptCallHover(
  config: ParsedConfig,
  offset: number,
  entry: ParsedConfig['entries'][number],
  file: string | undefined,
): HookHover | undefined {
  let lines;
  try {
    lines = parsedLines(config);
  } catch {
    return undefined;
  }
  const l = lines.find((p) => p.line.entry.keySpan.start === entry.keySpan.start); // the lines may be of an equal text's parse
  const script = l?.line.inInterface ? scriptOf(l) : undefined;
  const c = l?.commands[0];
  if (!l || !script || !c) return undefined;
  const iface = file === undefined ? undefined : interfaceOf(file);
  const first = script.direct ? 0 : 1;
  const args = c.args.slice(first).map((a, i) => ({ text: a, span: c.argSpans[first + i] }));
  const name = path.basename(script.path);
  const value = (a: string): string => asRun(a, iface, file);
  const list = args.map((a, i) => `- \`$${i + 1}\` = \`${value(a.text)}\``).join('\n');
  if (offset >= script.start && offset <= script.end)
    return {
      contents:
        `**${name}** · run by this ${l.line.key} line${script.direct ? '' : ' through bash'}, as root, with ` +
        `${args.length ? `these arguments (as wg-quick runs the line):\n\n${list}` : 'no arguments.'}\n\n` +
        "wg-quick's own variables (INTERFACE, CONFIG_FILE) are not exported to it: pass what it needs as an argument.",
      start: script.start,
      end: script.end,
    };
  const i = args.findIndex((a) => offset >= l.line.start + a.span.startIndex && offset <= l.line.start + a.span.endIndex);
  if (i < 0) return undefined;
  const a = args[i];
  const written = a.text !== value(a.text) ? ` (written \`${a.text}\`)` : '';
  const percent = a.text.includes('%i') ? `\n\n${percentIHere(file)}` : '';
  return {
    contents: `**$${i + 1}** of ${name} · \`${value(a.text)}\`${written}: what the script reads as "$${i + 1}".${percent}`,
    start: l.line.start + a.span.startIndex,
    end: l.line.start + a.span.endIndex,
  };
}

/** An argument as the script receives it: %i replaced, then $INTERFACE and $CONFIG_FILE expanded by the line's bash. */
function asRun(arg: string, iface: string | undefined, file: string | undefined): string {
  if (iface === undefined || file === undefined) return arg;
  const config = `/etc/wireguard/${path.basename(file)}`;
  return substituted(arg, iface)
    .replace(/\$\{?INTERFACE\}?(?!\w)/g, iface)
    .replace(/\$\{?CONFIG_FILE\}?(?!\w)/g, config)
    .replace(/^"([^"$`\\]*)"$/, '$1'); // the double quotes the parser kept around an expansion, now expanded
}
