import { ParsedConfig } from '../../config/keyValue';
import type { HookCompletion } from '../../hooks/completion';
import type { HookHover } from '../../hooks/hover';
import { scriptDirectives } from './config';
import { dashless } from './dashless';
import { knownDirectives } from './directives';
import type { Recognized } from '../family';
import { rolesOf, ScriptRoles } from './content';
import { appendedArgDocs, appendedArgs, hookOf, OpenvpnEvent } from './hooks';

/** What the directives that shape how scripts run mean, beyond the script directives themselves. */
const notes: Readonly<Record<string, string>> = {
  'script-security':
    '0: no external programs; 1 (default): built-in commands only (ip, route...); 2: user scripts may run; 3: passwords may ' +
    'be passed to scripts in the environment (auth-user-pass-verify via-env).',
  user: 'Drops privileges to this user after start-up: down, client-connect, learn-address and the other later scripts then run as it.',
  group: 'Drops privileges to this group after start-up: the later scripts run with it.',
  'down-pre': 'Runs down before the tun device is closed (it still runs after the privilege drop).',
  'up-restart': 'Runs up and down again on SIGUSR1 restarts, with script_context=restart.',
  plugin: 'Loads a plugin: openvpn-plugin-down-root.so "cmd" runs down as root (with no script_type).',
  dev: 'The tun/tap device: `dev tun` is the first free tunN; scripts get it as $dev and $1.',
  setenv: 'Sets a variable for the scripts (`setenv NAME value`).',
};

function docOf(key: string): string | undefined {
  if (scriptDirectives.has(key)) {
    const event = key as OpenvpnEvent;
    const hook = hookOf(event);
    const args = appendedArgs[event];
    return [
      `**${key}** (OpenVPN script directive, needs \`script-security 2\`)`,
      hook.description,
      args.length ? `OpenVPN appends: ${args.map((a) => `\`${a}\``).join(', ')}.` : '',
      hook.exitStatus ? `Exit status: ${hook.exitStatus}` : '',
      `The script sees \`script_type=${event === 'auth-user-pass-verify' ? 'user-pass-verify' : event}\`.`,
    ]
      .filter(Boolean)
      .join('\n\n');
  }
  if (notes[key]) return `**${key}**\n\n${notes[key]}`;
  return knownDirectives.has(key) ? `**${key}**: an OpenVPN 2.6 option.` : undefined;
}

/** Over a directive: what it does for the scripts. */
export function openvpnHover(config: ParsedConfig, offset: number): HookHover | undefined {
  const e = dashless(config).entries.find((x) => x.keySpan.start <= offset && offset <= x.keySpan.end);
  const contents = e && docOf(e.key);
  return e && contents ? { contents, start: e.keySpan.start, end: e.keySpan.end } : undefined;
}

/** Where a directive is being written (the first word of a line, outside inline blocks): the script directives first, then every option. */
export function openvpnCompletion(config: ParsedConfig, offset: number): HookCompletion[] {
  const text = config.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const typed = text.slice(lineStart, offset);
  if (/\s/.test(typed.trimStart())) return []; // past the directive: its value
  if (config.blocks.some((b) => b.span.start < offset && offset <= b.span.end)) return [];
  const start = offset - typed.trimStart().length;
  const item = (label: string, detail: string): HookCompletion => ({
    label,
    kind: 'key',
    insert: label,
    start,
    end: offset,
    detail,
    documentation: docOf(label) ?? '',
  });
  const scripts = [...scriptDirectives].map((k) => item(k, 'script directive'));
  const others = [...knownDirectives].filter((k) => !scriptDirectives.has(k)).map((k) => item(k, 'OpenVPN option'));
  return [...scripts, ...others];
}

/** What each of a directive's `$N` holds for this script: the words the directive wrote after the program, then OpenVPN's. */
function argumentsFor(event: OpenvpnEvent, roles: ScriptRoles): string[] {
  const own = roles.facts?.userArgs[event] ?? 0;
  const ownDocs = Array.from(
    { length: own },
    (_, i) => `word ${i + 1} you wrote after the script in the \`${event}\` directive (OpenVPN puts its own after them).`,
  );
  // auth-user-pass-verify's file comes only with via-file; a script no config wires is shown it.
  const appended = event === 'auth-user-pass-verify' && roles.facts && !roles.viaFile ? [] : appendedArgDocs[event].map((x) => x.meaning);
  return [...ownDocs, ...appended];
}

/** $1 ... $N of an OpenVPN script, for each directive that runs it: those that agree on an argument share a line. */
export function openvpnPositional(recognized: Recognized): string[] {
  const roles = rolesOf(recognized);
  const per = roles.events.map((e) => ({ event: e, args: argumentsFor(e, roles) }));
  const most = Math.max(0, ...per.map((p) => p.args.length));
  return Array.from({ length: most }, (_, i) => {
    if (per.length === 1) return per[0].args[i];
    const byDoc = new Map<string, OpenvpnEvent[]>();
    for (const p of per) {
      const doc = p.args[i] ?? 'nothing: OpenVPN passes no argument here (it is empty).';
      byDoc.set(doc, [...(byDoc.get(doc) ?? []), p.event]);
    }
    return [...byDoc].map(([doc, events]) => `${events.map((e) => `\`${e}\``).join(', ')}: ${doc}`).join('\n\n');
  });
}
