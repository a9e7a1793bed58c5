import { ParsedConfig } from '../../config/keyValue';
import type { HookCompletion } from '../../hooks/completion';
import { hookMarkdown } from '../../hooks/docs';
import type { HookHover } from '../../hooks/hover';
import type { HookFamily } from '../family';
import { globalOnly, knownKeys, scriptKeys } from './config';

/** What the keys that shape how the scripts run mean (ocserv's sample.config, main-user.c). */
const notes: Readonly<Record<string, string>> = {
  'restrict-user-to-routes':
    'true: ocserv lets the user reach only the routes it pushes, through ocserv-fw, which then runs the connect and ' +
    'disconnect scripts as `/bin/sh script` (their #! line is ignored) with `OCSERV_RESTRICT_TO_ROUTES=1`.',
  'restrict-user-to-ports':
    'A port list (`"tcp(443), udp(53)"`, or `"!(tcp(22))"` to deny): ocserv-fw then runs the connect and disconnect scripts ' +
    'as `/bin/sh script`, with `OCSERV_ALLOW_PORTS` or `OCSERV_DENY_PORTS` set. A value ocserv cannot parse stops it at start.',
  'user-profile': 'The AnyConnect profile XML served to clients: it must be readable inside the worker chroot. Global section only.',
  device: 'The prefix of the per-session tun devices (`vpns` gives vpns0, vpns1 ...): the scripts get the name as $DEVICE.',
  'run-as-user': "The user ocserv's workers run as. The scripts are run by the main process, as root.",
  'run-as-group': "The group ocserv's workers run as. The scripts are run by the main process, as root.",
  'route-add-cmd': "A command line ocserv runs for each of a user's routes: %{R} and %{RI} are the route (two notations), %{D} the device.",
  'route-del-cmd': 'A command line ocserv runs to remove what route-add-cmd added: %{R}, %{RI} and %{D} as there.',
};

const vhostNote = 'Inside a `[vhost:...]` section ocserv ignores this key with a warning: it is read in the global section only.';

function docOf(family: () => HookFamily, key: string, inVhost: boolean): string | undefined {
  const hook = scriptKeys.get(key);
  const where = inVhost && globalOnly.has(key) ? `\n\n> ${vhostNote}` : '';
  if (hook) return `${hookMarkdown({ family: family(), hook })}${where}`;
  if (notes[key]) return `**${key}**\n\n${notes[key]}${where}`;
  return knownKeys.has(key) ? `**${key}**: an ocserv 1.x option.` : undefined;
}

/** Over a key: what it does (a script key: when its script runs and what its exit status means). */
export function ocservHover(family: () => HookFamily) {
  return (config: ParsedConfig, offset: number): HookHover | undefined => {
    const e = config.entries.find((x) => x.keySpan.start <= offset && offset <= x.keySpan.end);
    const contents = e && docOf(family, e.key, isVhost(e.section));
    return e && contents ? { contents, start: e.keySpan.start, end: e.keySpan.end } : undefined;
  };
}

/** Where a key is being written: the script keys first, then every key ocserv knows (in a vhost, not those it ignores there). */
export function ocservCompletion(family: () => HookFamily) {
  return (config: ParsedConfig, offset: number): HookCompletion[] => {
    const text = config.text;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const typed = /^[ \t]*([\w-]*)$/.exec(text.slice(lineStart, offset));
    if (!typed) return [];
    const end = offset + (/^[\w-]*/.exec(text.slice(offset))?.[0].length ?? 0);
    const start = offset - typed[1].length;
    const before = config.sections.filter((s) => s.span.start < lineStart);
    const inVhost = isVhost(before[before.length - 1]?.name);
    const item = (key: string, detail: string): HookCompletion => ({
      label: key,
      kind: 'key',
      insert: `${key} = `,
      start,
      end,
      detail,
      documentation: docOf(family, key, inVhost) ?? '',
    });
    const keys = [...scriptKeys.keys(), ...[...knownKeys].filter((k) => !scriptKeys.has(k)).sort()];
    return keys.filter((k) => !(inVhost && globalOnly.has(k))).map((k) => item(k, scriptKeys.has(k) ? 'script key' : 'ocserv option'));
  };
}

function isVhost(section: string | undefined): boolean {
  return section !== undefined && /^vhost:/i.test(section);
}
