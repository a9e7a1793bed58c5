import * as path from 'node:path';
import { ConfigEntry, KeyValueSyntax, ParsedConfig } from '../../config/keyValue';
import { Finding, finding, withFix } from '../../diagnostics';
import { readText } from '../../fileKinds';
import { nearest } from '../../text/nearest';
import { ConfigContext, ConfigDocumentType, HookFamily, LocatedFile, WiredHook } from '../family';
import { Split, splitArgs, Word } from './argv';
import { connectionFindings, portFindings, protoFindings, remoteFindings } from './connection';
import { dashless } from './dashless';
import { downRootCommand, downRootDispatch } from './downRoot';
import { knownDirectives } from './directives';
import { fatalEvents, hookOf, OpenvpnEvent, openvpnEvents, refusedByScriptSecurity } from './hooks';
import { rootOnlyCommands } from './rootOnly';

export const openvpnSyntax: KeyValueSyntax = { separator: 'whitespace', comments: '#;', inlineBlocks: true };

/** The directives that run a user script; `auth-user-pass-verify` takes a method after the command. */
export const scriptDirectives: ReadonlySet<string> = new Set(openvpnEvents);

/**
 * Directives only OpenVPN configs have, in OpenVPN's `key value` form (never `key = value`):
 * `server` only with a network and netmask (ntp.conf and chrony.conf have `server host`), `dev`
 * only naming a tun or tap device.
 */
const telling = new RegExp(
  String.raw`^[ \t]*(?:(?:client|tls-client|tls-server)[ \t]*\r?$|remote[ \t]+[^=\s]|dev(?:-type)?[ \t]+(?:tun|tap)` +
    String.raw`|server[ \t]+\d{1,3}(?:\.\d{1,3}){3}[ \t]+\d{1,3}(?:\.\d{1,3}){3}|<(?:ca|cert|key|tls-auth|tls-crypt|connection)>)`,
  'm',
);

/** An INI section line ([Interface], [Peer]): another family's file (wg-quick), never OpenVPN's. */
const sectionLine = /^[ \t]*\[[^\]\n]*\][ \t]*\r?$/m;

/** `*.ovpn` by its name; a `*.conf` by OpenVPN's own directives in its first 8 KB, and never when it has INI sections. */
export function isOpenvpnConf(file: string, head: string): boolean {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.ovpn')) return true;
  if (!name.endsWith('.conf') || sectionLine.test(head)) return false;
  return telling.test(head);
}

/** What a config says about one script directive. */
export interface ScriptDirective {
  readonly entry: ConfigEntry;
  readonly event: OpenvpnEvent;
  /** The command's words (the first is the program), offsets into the file. */
  readonly words: readonly Word[];
  /** auth-user-pass-verify's second parameter. */
  readonly method?: 'via-env' | 'via-file';
  /** How many parameters the config line gives the directive (1, or 2 for auth-user-pass-verify). */
  readonly params: number;
  /** The command's own split refused (argv_parse_cmd): OpenVPN runs the whole command as one program name. */
  readonly refused?: Split;
}

/** A config's facts that change how its scripts run. */
export interface OpenvpnFacts {
  /** script-security's level (1 when unset). */
  readonly scriptSecurity: number;
  /** `user` (and `group`): the privilege drop after start-up; down then runs as this user. */
  readonly user?: string;
  readonly group?: string;
  readonly downPre: boolean;
  /**
   * client, pull or up-delay: OpenVPN opens the tun device only once connected, and drops its
   * privileges after that (init.c do_uid_gid_chroot: "will be delayed because of --client, --pull,
   * or --up-delay"), so the first ipchange runs as root too.
   */
  readonly delayedDrop?: boolean;
  /** The down-root plugin runs down as root (with no script_type). */
  readonly downRoot: boolean;
  readonly upRestart: boolean;
  /** persist-tun: a restart keeps the tun device (and runs down / up only with up-restart). */
  readonly persistTun?: boolean;
  /** tls-export-cert: tls-verify gets the certificate at each depth in a file named by peer_cert. */
  readonly tlsExportCert?: boolean;
  /** The tun device as `dev` names it (tun0 for `dev tun`). */
  readonly dev: string;
  readonly devType: 'tun' | 'tap';
  readonly server: boolean;
  readonly topology: string;
  /** The number of words the user wrote after the program, per directive (OpenVPN's own come after them). */
  readonly userArgs: Readonly<Partial<Record<OpenvpnEvent, number>>>;
  /** auth-user-pass-verify's method. */
  readonly authMethod?: 'via-env' | 'via-file';
}

/** The entries OpenVPN acts on: the last of each directive. */
export function lastEntries(config: ParsedConfig): Map<string, ConfigEntry> {
  const out = new Map<string, ConfigEntry>();
  for (const e of dashless(config).entries) out.set(e.key, e);
  return out;
}

/**
 * The script directives OpenVPN acts on (the last of each). A directive takes one parameter, the
 * command (auth-user-pass-verify a second, its method); OpenVPN splits that command again into the
 * program and its words when it runs it, so `up "updown.sh lab"` runs updown.sh with lab first.
 */
export function scriptDirectivesOf(config: ParsedConfig): ScriptDirective[] {
  const out: ScriptDirective[] = [];
  for (const e of lastEntries(config).values()) {
    if (!scriptDirectives.has(e.key)) continue;
    const params = splitArgs(e.value);
    if (!('words' in params) || !params.words.length) continue;
    const first = params.words[0];
    // argv_parse_cmd (argv.c): a command parse_line refuses is run whole, as one program name.
    const split = splitArgs(first.text);
    const refused = 'words' in split ? undefined : split;
    const inner = 'words' in split && split.words.length ? split.words : [{ text: first.text, start: 0, end: first.text.length }];
    // Offsets of the inner words: exact for an unquoted command; inside the quotes for a quoted one (escapes aside).
    const at = e.valueSpan.start + first.start + (/^["']/.test(e.value.slice(first.start)) ? 1 : 0);
    const words = inner.map((w) => ({ text: w.text, start: at + w.start, end: at + w.end }));
    const method = e.key === 'auth-user-pass-verify' ? params.words[1]?.text : undefined;
    out.push({
      entry: e,
      event: e.key as OpenvpnEvent,
      words,
      params: params.words.length,
      ...(method === 'via-env' || method === 'via-file' ? { method } : {}),
      ...(refused ? { refused } : {}),
    });
  }
  return out;
}

export function openvpnFacts(config: ParsedConfig): OpenvpnFacts {
  const last = lastEntries(config);
  const value = (k: string): string | undefined => last.get(k)?.value;
  const level = Number.parseInt(value('script-security') ?? '1', 10);
  const devValue = (value('dev') ?? 'tun').split(/\s+/)[0];
  const devType = /^tap/.test(value('dev-type') ?? devValue) ? 'tap' : 'tun';
  const dev = /^(tun|tap)$/.test(devValue) ? `${devValue}0` : /^[A-Za-z0-9_.-]{1,15}$/.test(devValue) ? devValue : 'tun0';
  const userArgs: Partial<Record<OpenvpnEvent, number>> = {};
  const directives = scriptDirectivesOf(config);
  for (const d of directives) userArgs[d.event] = d.words.length - 1;
  const authMethod = directives.find((d) => d.event === 'auth-user-pass-verify')?.method;
  return {
    scriptSecurity: Number.isFinite(level) ? level : 1,
    ...(value('user') ? { user: value('user') } : {}),
    ...(value('group') ? { group: value('group') } : {}),
    downPre: last.has('down-pre'),
    delayedDrop: last.has('client') || last.has('pull') || last.has('up-delay'),
    downRoot: downRootCommand(config) !== undefined,
    upRestart: last.has('up-restart'),
    persistTun: last.has('persist-tun'),
    tlsExportCert: last.has('tls-export-cert'),
    dev,
    devType,
    server: last.has('server') || last.has('mode') || last.has('tls-server') || last.has('server-bridge'),
    topology: value('topology') ?? 'net30',
    userArgs,
    ...(authMethod ? { authMethod } : {}),
  };
}

/** The OpenVPN config document type. `family` is read when a config is wired (the family object holds this type). */
export function openvpnConfig(family: () => HookFamily): ConfigDocumentType {
  return {
    id: 'openvpn.conf',
    displayName: 'OpenVPN config',
    candidates: ['**/*.ovpn', '**/openvpn/**/*.conf', '**/*openvpn*.conf', '**/client.conf', '**/server.conf'],
    syntax: openvpnSyntax,
    recognize: isOpenvpnConf,
    lint: lintOpenvpnConf,
    wiring(parsed, ctx): WiredHook[] {
      const config = dashless(parsed);
      const facts = openvpnFacts(config);
      return scriptDirectivesOf(config).map((d) => ({
        family: family(),
        hook: hookOf(d.event),
        config: ctx.file,
        key: d.event,
        serverPath: d.words[0].text,
        file: ctx.locate(d.words[0].text)?.file,
        facts: { ...facts },
      }));
    },
  };
}

function lintOpenvpnConf(parsed: ParsedConfig, ctx: ConfigContext): Finding[] {
  const config = dashless(parsed);
  const found: Finding[] = [];
  const guesses = new Map<string, string | undefined>();
  const ignored = new Set(config.entries.filter((e) => e.key === 'ignore-unknown-option').flatMap((e) => e.value.split(/\s+/)));
  for (const e of config.entries) {
    if (!knownDirectives.has(e.key) && !ignored.has(e.key)) {
      found.push(unknownDirective(e, guesses));
      continue;
    }
    if (e.key === 'remote') append(found, remoteFindings(e));
    else if (e.key === 'port' || e.key === 'lport' || e.key === 'rport') append(found, portFindings(e));
    else if (e.key === 'proto') append(found, protoFindings(e));
    const bad = lineRefusal(e, splitArgs(e.value), ctx.file);
    if (bad) found.push(bad);
  }
  append(
    found,
    connectionFindings(config, (e) => unknownDirective(e, guesses)),
  );
  const facts = openvpnFacts(config);
  const last = lastEntries(config);
  for (const e of last.values()) {
    if (!scriptDirectives.has(e.key)) continue;
    if (!e.value) found.push(finding('HS607', e.keySpan.start, e.keySpan.end, `${e.key} names no command: write the script's path.`));
  }
  const directives = scriptDirectivesOf(config);
  for (const d of directives) {
    if (facts.scriptSecurity < 2) found.push(needsScriptSecurity(d, last.get('script-security')));
    if (d.event === 'auth-user-pass-verify' && !d.method) found.push(noMethod(d));
    if (d.method === 'via-env' && facts.scriptSecurity === 2) found.push(passwordWithheld(d, last.get('script-security')));
    const allowed = d.event === 'auth-user-pass-verify' ? 2 : 1;
    if (d.params > allowed) found.push(extraParams(d, allowed));
    if (d.refused) {
      found.push(commandRefused(d, d.refused));
      continue;
    }
    const located = ctx.locate(d.words[0].text);
    const program = d.words[0];
    if (!located) {
      if (!isSystemProgram(program.text))
        found.push(
          finding(
            'HS601',
            program.start,
            program.end,
            `${program.text} is not in the workspace (looked for ${ctx.lookedFor(program.text)}): Hooksmith cannot check ` +
              `the script. A relative path is OpenVPN's relative to its working folder (the config's, with cd); map a ` +
              `server folder with hooksmith.hooks.serverPaths.`,
          ),
        );
      continue;
    }
    if (located.mode !== undefined && process.platform !== 'win32' && (located.mode & 0o111) === 0) {
      found.push(
        finding(
          'HS602',
          program.start,
          program.end,
          `${path.basename(located.file)} (found ${howFound(located)}) is not executable: OpenVPN execs it without a ` +
            `shell, so the exec fails${fatalNote(d.event)}. Run chmod +x on it.`,
        ),
      );
    }
    if (d.event === 'down') append(found, downAsUser(d, facts, located, last));
    else if (runsAsDroppedUser(d.event, facts)) append(found, scriptAsUser(d, facts, located, last));
  }
  append(found, downRootDispatch(config, ctx));
  return found;
}

/**
 * What parse_line (options.c) refuses in a line, with its own message: OpenVPN stops at once, its
 * usage error ("Use --help for more information.").
 */
function lineRefusal(e: ConfigEntry, split: Split, file: string): Finding | undefined {
  const where = `${path.basename(file)}:${e.line + 1}`;
  if ('unclosed' in split) {
    const { quote, at } = split.unclosed;
    const said = quote === '"' ? 'No closing quotation (")' : "No closing single quotation (')";
    return finding(
      'HS606',
      e.valueSpan.start + at,
      e.valueSpan.end,
      `This ${quote} quote is never closed: OpenVPN refuses the line ("Options error: ${said} in ${where}") and does not start.`,
    );
  }
  if ('badBackslash' in split) {
    const at = e.valueSpan.start + split.badBackslash.at;
    return finding(
      'HS630',
      at,
      at + 2,
      `OpenVPN reads a backslash as an escape, and allows it only before \\, " or a blank: it refuses this line ` +
        `("Options warning: Bad backslash ('\\') usage in ${where}") and does not start. Write \\\\ for one backslash, ` +
        `or put the word in 'single quotes'.`,
    );
  }
  return undefined;
}

/**
 * The command parse_line accepted as one parameter, but refuses when OpenVPN splits it again to run it
 * (argv_parse_cmd, argv.c): it then execs the whole text as one program name, which is no file.
 */
function commandRefused(d: ScriptDirective, split: Split): Finding {
  const program = d.words[0];
  const why =
    'unclosed' in split
      ? { code: 'HS606' as const, at: program.start + split.unclosed.at, what: `its ${split.unclosed.quote} quote is never closed` }
      : {
          code: 'HS630' as const,
          at: program.start + ('badBackslash' in split ? split.badBackslash.at : 0),
          what: 'it has a bad backslash (inside double quotes a backslash for the script is written four times)',
        };
  return finding(
    why.code,
    why.at,
    program.end,
    `OpenVPN splits the command again when it runs it, and ${why.what} there: it then runs the whole text ` +
      `"${program.text}" as one program, which does not exist${fatalNote(d.event)}.`,
  );
}

function append(to: Finding[], more: readonly Finding[]): void {
  for (const f of more) to.push(f);
}

function fatalNote(event: OpenvpnEvent): string {
  if (fatalEvents.has(event)) return ' and OpenVPN stops with a fatal error';
  if (event === 'client-connect') return ' and every client is refused';
  if (event === 'auth-user-pass-verify' || event === 'tls-verify') return ' and every client fails authentication';
  return '';
}

/** Programs a directive may name that are not the user's script (`/bin/sh -c ...`, /usr/bin/env): not looked for in the workspace. */
function isSystemProgram(p: string): boolean {
  return /^\/(usr\/)?(s?bin|libexec)\/[\w.+-]+$/.test(p);
}

function howFound(located: LocatedFile): string {
  return located.how === 'path'
    ? 'at its path in the workspace'
    : located.how === 'beside'
      ? 'beside this file'
      : 'through hooksmith.hooks.serverPaths';
}

function needsScriptSecurity(d: ScriptDirective, setting: ConfigEntry | undefined): Finding {
  const now = setting ? `script-security ${setting.value}` : 'no script-security line (the default is 1: built-in commands only)';
  return finding(
    'HS600',
    d.entry.keySpan.start,
    d.entry.keySpan.end,
    `OpenVPN refuses to run ${d.words[0].text}: a user script needs script-security 2 or higher, and this config has ` +
      `${now}. ${refusedByScriptSecurity(d.event)} Add: script-security 2`,
  );
}

function extraParams(d: ScriptDirective, allowed: number): Finding {
  // The lookbehind: a run of blanks is tried from its first blank only, not from each one (quadratic on a long run).
  const command = allowed === 1 ? d.entry.value : d.entry.value.split(/(?<!\s)\s+(?=via-)/)[0];
  const words = splitArgs(d.entry.value);
  const extra = 'words' in words ? words.words[allowed] : undefined;
  const start = d.entry.valueSpan.start + (extra?.start ?? 0);
  return finding(
    'HS608',
    start,
    d.entry.valueSpan.end,
    `${d.entry.key} takes ${allowed === 1 ? 'one parameter, the command' : 'the command and its method'}: OpenVPN refuses ` +
      `these extra words ("Unrecognized option or missing or extra parameter(s)") and does not start. To pass arguments ` +
      `to the script, quote the whole command: ${d.entry.key} "${command}"`,
  );
}

/**
 * via-env at script-security 2: env_set.c env_allowed() keeps every variable whose name starts with
 * "password" out of a script's environment below level 3, so the script gets the username alone.
 */
function passwordWithheld(d: ScriptDirective, setting: ConfigEntry | undefined): Finding {
  const method = d.entry.valueSpan.start + d.entry.value.lastIndexOf('via-env');
  return finding(
    'HS632',
    method,
    method + 'via-env'.length,
    `With script-security 2${setting ? ` (line ${setting.line + 1})` : ''} OpenVPN keeps $password out of every script's ` +
      'environment: the script gets the username but an empty password, so a check of it fails for every user (or, ' +
      'worse, passes an empty one). Use via-file (the password is in the file named last), or script-security 3.',
  );
}

function noMethod(d: ScriptDirective): Finding {
  return finding(
    'HS604',
    d.entry.valueSpan.start,
    d.entry.valueSpan.end,
    'auth-user-pass-verify needs its method after the command: via-file (the username and password in a temporary ' +
      'file, named last) or via-env (in the environment, which needs script-security 3). Without it OpenVPN refuses the ' +
      'option and does not start.',
  );
}

/**
 * Whether OpenVPN runs this script as the config's `user` / `group`, after dropping its privileges: every script but up and
 * route-up at start-up (a restart's up comes after the drop) and a client's first ipchange (its drop waits for the
 * connection). The down-root plugin changes nothing here: init.c run_up_down calls the plugin (its own command, as root)
 * and then still runs a `down` directive's script, as the dropped user.
 */
export function runsAsDroppedUser(event: OpenvpnEvent, facts: OpenvpnFacts, restart = false): boolean {
  if (!facts.user && !facts.group) return false;
  return !((event === 'up' && !restart) || event === 'route-up' || (event === 'ipchange' && facts.delayedDrop === true));
}

/** What a script run after the drop fails at when it needs root, per directive. */
const droppedFailure: Partial<Record<OpenvpnEvent, string>> = {
  'client-connect': 'and its non-zero exit refuses the client',
  'client-disconnect': 'so what client-connect added for the client stays behind',
  'learn-address': "and its non-zero exit on add or update rejects the address (the client's traffic is dropped)",
  'tls-verify': 'and its non-zero exit refuses the certificate',
  'auth-user-pass-verify': 'and its non-zero exit rejects the user',
  'route-pre-down': 'and its non-zero exit is fatal',
  ipchange: 'which OpenVPN only logs',
};

/** A script other than down run after the privilege drop (learn-address, client-connect ...) that runs root's commands. */
function scriptAsUser(d: ScriptDirective, facts: OpenvpnFacts, located: LocatedFile, last: Map<string, ConfigEntry>): Finding[] {
  const rootOnly = rootOnlyOf(located);
  if (!rootOnly.length) return [];
  const where = last.get('user') ?? last.get('group');
  const as = facts.user ?? `group ${facts.group}`;
  return [
    finding(
      'HS633',
      d.entry.keySpan.start,
      d.entry.keySpan.end,
      `${d.event} runs as ${as}: OpenVPN dropped its privileges (line ${(where?.line ?? 0) + 1}) before it runs ${d.event}, ` +
        `and ${path.basename(located.file)} does what only root may (${rootOnly.slice(0, 5).join(', ')}): as ${as} that ` +
        `fails ("Permission denied (you must be root)", "Operation not permitted"), ${droppedFailure[d.event] ?? ''}. Fixes: ` +
        'remove user/group, or let the script run exactly those commands through sudo (a sudoers rule for them) or a plugin ' +
        'that keeps root.',
    ),
  ];
}

function rootOnlyOf(located: LocatedFile): string[] {
  const text = readText(located.file);
  return text === undefined ? [] : rootOnlyCommands(text);
}

/** down after the privilege drop: it runs as `user` (down-pre only runs it earlier), and what it does as root fails. */
function downAsUser(d: ScriptDirective, facts: OpenvpnFacts, located: LocatedFile, last: Map<string, ConfigEntry>): Finding[] {
  if (!runsAsDroppedUser('down', facts)) return [];
  const rootOnly = rootOnlyOf(located);
  if (!rootOnly.length) return [];
  const who = facts.user ? `user ${facts.user}` : `group ${facts.group}`;
  const where = last.get('user') ?? last.get('group');
  const list = rootOnly.slice(0, 5).join(', ');
  const as = facts.user ?? 'that group';
  const dropped =
    `down runs after OpenVPN has dropped its privileges to ${who}${where ? ` (line ${where.line + 1})` : ''}, and ` +
    `${path.basename(located.file)} does what only root may (${list}): as ${as} it fails, `;
  const message = facts.downRoot
    ? `${dropped}and its non-zero exit is fatal. The down-root plugin does not change that: OpenVPN calls the plugin (its ` +
      `own command, as root) and then still runs this line's script as ${as}. If the plugin's command already does this ` +
      `work, remove this down line; else give the plugin this command instead.`
    : `${dropped}so the routes, DNS or firewall rules up made stay behind (and its non-zero exit is fatal). Fixes: run it ` +
      `through the down-root plugin (plugin /usr/lib/openvpn/openvpn-plugin-down-root.so "${d.entry.value}", which ` +
      `runs it as root but sets no script_type) in place of this line, or remove user/group. down-pre does not help: it ` +
      `runs down before the tun device closes, still as ${as}.`;
  return [finding('HS603', d.entry.keySpan.start, d.entry.keySpan.end, message)];
}

/** Longer than the longest option (management-client-auth...) by more than two edits: no option is near. */
const maxGuessed = 40;

function unknownDirective(e: ConfigEntry, guesses: Map<string, string | undefined>): Finding {
  // A guess costs an edit distance per option: only for the first 100 distinct keys, and none for a key far longer than any option.
  if (!guesses.has(e.key))
    guesses.set(e.key, guesses.size < 100 && e.key.length <= maxGuessed ? nearest(e.key, knownDirectives) : undefined);
  const guess = guesses.get(e.key);
  if (guess) {
    const f = finding(
      'HS605',
      e.keySpan.start,
      e.keySpan.end,
      `OpenVPN has no option "${e.key}": did you mean ${guess}? OpenVPN refuses an unknown option and does not start.`,
      'warning',
    );
    return withFix(f, { kind: 'replace', with: guess });
  }
  return finding(
    'HS605',
    e.keySpan.start,
    e.keySpan.end,
    `"${e.key}" is not an option of OpenVPN 2.6 (its man page): OpenVPN refuses an unknown option unless ignore-unknown-option names it.`,
    'information',
  );
}
