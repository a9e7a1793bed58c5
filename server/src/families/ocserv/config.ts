import * as path from 'node:path';
import { ConfigEntry, ParsedConfig } from '../../config/keyValue';
import { Finding, finding, withFix } from '../../diagnostics';
import { nearest } from '../../text/nearest';
import { ConfigContext, ConfigDocumentType, HookFamily, HookSpec, WiredHook } from '../family';
import { ocservHooks, throughFw } from './hooks';
import { parsePortRestriction, PortRestriction } from './ports';

/** ocserv.conf's keys that name a script, and the hook each is. */
export const scriptKeys: ReadonlyMap<string, HookSpec> = new Map(ocservHooks.map((h) => [h.name, h]));

/** Keys ocserv reads only in the global section: inside [vhost:...] it ignores them with a warning (config.c). */
export const globalOnly: ReadonlySet<string> = new Set([...scriptKeys.keys(), 'user-profile']);

/** What restricts a user in the global section: ocserv then runs ocserv-fw before connect's and disconnect's scripts. */
export interface Restrictions {
  /** restrict-user-to-routes is true. */
  readonly routes: boolean;
  /** restrict-user-to-ports as ocserv parses it, when the key is set. */
  readonly ports: PortRestriction | undefined;
}

export function restrictionsOf(global: ReadonlyMap<string, { readonly value: string }>): Restrictions {
  const ports = global.get('restrict-user-to-ports');
  return { routes: isTrue(global.get('restrict-user-to-routes')?.value ?? ''), ports: ports && parsePortRestriction(ports.value) };
}

/**
 * ocserv puts ocserv-fw in front of the scripts when restrict-user-to-routes is on or restrict-user-to-ports lists a port
 * (src/main-user.c, call_script(): `restrict_user_to_routes || n_fw_ports > 0`).
 */
export function isRestricted(r: Restrictions): boolean {
  return r.routes || (r.ports?.ok === true && r.ports.entries.length > 0);
}

/** The keys of ocserv 1.x's sample.config and man page: others are reported as unknown. */
export const knownKeys: ReadonlySet<string> = new Set([
  'acct',
  'auth',
  'auth-timeout',
  'auto-select-group',
  'ban-points-connection',
  'ban-points-kkdcp',
  'ban-points-wrong-password',
  'ban-reset-time',
  'banner',
  'ca-cert',
  'camouflage',
  'camouflage_realm',
  'camouflage_secret',
  'cert-group-oid',
  'cert-user-oid',
  'cgroup',
  'chroot-dir',
  'cisco-client-compat',
  'cisco-svc-client-compat',
  'client-bypass-protocol',
  'compression',
  'config-per-group',
  'config-per-user',
  'connect-script',
  'cookie-timeout',
  'crl',
  'custom-header',
  'default-domain',
  'default-group-config',
  'default-select-group',
  'default-user-config',
  'deny-roaming',
  'device',
  'dh-params',
  'disconnect-script',
  'dns',
  'dpd',
  'dtls-legacy',
  'dtls-psk',
  'enable-auth',
  'expose-iroutes',
  'host-update-script',
  'idle-timeout',
  'included-http-headers',
  'iroute',
  'ipv4-netmask',
  'ipv4-network',
  'ipv6-network',
  'ipv6-subnet-prefix',
  'isolate-workers',
  'keepalive',
  'key-pin',
  'kkdcp',
  'listen-clear-file',
  'listen-host',
  'listen-netns',
  'listen-proxy-proto',
  'log-level',
  'log-stderr',
  'match-tls-and-dtls-ciphers',
  'max-ban-score',
  'max-clients',
  'max-same-clients',
  'min-reauth-time',
  'mobile-dpd',
  'mobile-idle-timeout',
  'mtu',
  'nbns',
  'net-priority',
  'no-compress-limit',
  'no-route',
  'ocsp-response',
  'occtl-socket-file',
  'output-buffer',
  'persistent-cookies',
  'pid-file',
  'pin-file',
  'ping-leases',
  'pre-login-banner',
  'predictable-ips',
  'proxy-url',
  'rate-limit-ms',
  'rekey-method',
  'rekey-time',
  'restrict-user-to-ports',
  'restrict-user-to-routes',
  'route',
  'route-add-cmd',
  'route-del-cmd',
  'run-as-group',
  'run-as-user',
  'rx-data-per-sec',
  'sec-mod-scale',
  'select-group',
  'server-cert',
  'server-drain-ms',
  'server-key',
  'server-stats-reset-time',
  'session-timeout',
  'socket-file',
  'split-dns',
  'srk-pin-file',
  'stats-report-time',
  'switch-to-tcp-timeout',
  'tcp-port',
  'timestamp',
  'tls-priorities',
  'try-mtu-discovery',
  'tunnel-all-dns',
  'tx-data-per-sec',
  'udp-listen-host',
  'udp-port',
  'use-occtl',
  'user-profile',
]);

/** Keys only an ocserv.conf has: two of them (or connect-script alone) make a file ocserv's config whatever its name. */
const telling = new RegExp(
  String.raw`^[ \t]*(connect-script|disconnect-script|host-update-script|auth|tcp-port|udp-port|socket-file|run-as-user|` +
    String.raw`ipv4-network|isolate-workers|max-same-clients|cisco-client-compat|server-cert)[ \t]*=`,
  'gm',
);

export function isOcservConf(file: string, head: string): boolean {
  if (/^ocserv[\w.-]*\.conf$/i.test(path.basename(file))) return true;
  const keys = new Set([...head.matchAll(telling)].map((m) => m[1]));
  return keys.has('connect-script') || keys.size >= 3;
}

/** A config's facts that change how its scripts run. */
export interface OcservFacts {
  /** restrict-user-to-routes or restrict-user-to-ports is on: ocserv-fw runs connect's and disconnect's scripts as `/bin/sh script`. */
  readonly restricted: boolean;
  /** The workspace files of the three scripts, when found. */
  readonly scripts: Readonly<Record<string, string | undefined>>;
}

/** The global entries ocserv acts on: the last of each key (the sample's single-valued keys). */
function globalEntries(config: ParsedConfig): Map<string, ConfigEntry> {
  const out = new Map<string, ConfigEntry>();
  for (const e of config.entries) if (e.section === undefined) out.set(e.key, e);
  return out;
}

function isTrue(value: string): boolean {
  return /^(true|yes|1)$/i.test(value);
}

export function ocservFacts(config: ParsedConfig, ctx: ConfigContext): OcservFacts {
  const global = globalEntries(config);
  const scripts = Object.fromEntries(
    [...scriptKeys.keys()].map((k) => {
      const e = global.get(k);
      return [k, e && path.posix.isAbsolute(e.value) ? ctx.locate(e.value)?.file : undefined];
    }),
  );
  return { restricted: isRestricted(restrictionsOf(global)), scripts };
}

/**
 * The ocserv.conf document type: its grammar and its rules. `family` is read when a config is linted (the family object holds this type).
 */
export function ocservConfig(family: () => HookFamily): ConfigDocumentType {
  return {
    id: 'ocserv.conf',
    displayName: 'ocserv.conf',
    candidates: ['**/ocserv*.conf'],
    syntax: { separator: '=', comments: '#', sections: true },
    recognize: isOcservConf,
    lint: lintOcservConf,
    wiring(config, ctx): WiredHook[] {
      const facts = ocservFacts(config, ctx);
      return [...globalEntries(config).values()].flatMap((e) => {
        const hook = scriptKeys.get(e.key);
        if (!hook || !path.posix.isAbsolute(e.value)) return [];
        return [
          { family: family(), hook, config: ctx.file, key: e.key, serverPath: e.value, file: facts.scripts[e.key], facts: { ...facts } },
        ];
      });
    },
  };
}

function lintOcservConf(config: ParsedConfig, ctx: ConfigContext): Finding[] {
  const found: Finding[] = [];
  const sectionsSeen = new Set<number>();
  const guesses = new Guesses();
  const restricted = isRestricted(restrictionsOf(globalEntries(config)));
  for (const e of config.entries) {
    if (e.sectionSpan && !e.section?.startsWith('vhost:') && !sectionsSeen.has(e.sectionSpan.start)) {
      sectionsSeen.add(e.sectionSpan.start);
      found.push(
        finding(
          'HS509',
          e.sectionSpan.start,
          e.sectionSpan.end,
          `ocserv knows only [vhost:NAME] sections: the keys under [${e.section}] are not read as you meant.`,
          'warning',
        ),
      );
    }
    const unknown = unknownKey(e, guesses);
    if (unknown) {
      found.push(unknown);
      continue;
    }
    if (e.section !== undefined && globalOnly.has(e.key)) {
      found.push(
        finding(
          'HS503',
          e.keySpan.start,
          e.keySpan.end,
          `${e.key} is ignored inside [${e.section}]: ocserv reads it only in the global section (before any [vhost:...]) ` +
            `and logs a warning here. Move it up, or it never takes effect for this virtual host.`,
        ),
      );
      continue;
    }
    if (e.section !== undefined) continue;
    if (scriptKeys.has(e.key)) append(found, scriptKeyFindings(e, ctx, restricted));
    else if (e.key === 'user-profile') append(found, profileFindings(e, ctx));
    else if (e.key === 'restrict-user-to-ports') append(found, portFindings(e));
    else if (e.key === 'restrict-user-to-routes' && isTrue(e.value)) found.push(restrictionNote(e));
  }
  return found;
}

/** restrict-user-to-ports: the note when it lists ports, an error where ocserv stops reading it. */
function portFindings(e: ConfigEntry): Finding[] {
  const parsed = parsePortRestriction(e.value);
  if (parsed.ok) return parsed.entries.length ? [restrictionNote(e)] : [];
  const at = e.valueSpan.start + parsed.at;
  return [
    finding(
      'HS511',
      at,
      Math.max(at + 1, e.valueSpan.start + parsed.end),
      `ocserv cannot parse restrict-user-to-ports here (it expects ${parsed.why}) and stops at start ("cannot parse ` +
        `restrict-user-to-ports"). Write the ports as tcp(443), udp(53), icmp(), or !(tcp(25)) to deny them.`,
    ),
  ];
}

function restrictionNote(e: ConfigEntry): Finding {
  return finding(
    'HS508',
    e.keySpan.start,
    e.keySpan.end,
    `With ${e.key}, ocserv runs ocserv-fw instead of your connect and disconnect scripts, and ocserv-fw runs them as ` +
      `/bin/sh script: their #! line is ignored, so bash-only syntax ([[ ]], arrays, function x) breaks. Hooksmith ` +
      `checks them as sh. host-update-script is still exec'd directly.`,
  );
}

function append(to: Finding[], more: readonly Finding[]): void {
  for (const f of more) to.push(f);
}

/**
 * "Did you mean" for unknown keys, once per distinct key and for the first 100 of them: a
 * generated file of thousands of distinct unknown keys must not cost thousands of edit-distance
 * scans of the key table (the rest get the plain note).
 */
class Guesses {
  private readonly seen = new Map<string, string | undefined>();

  of(key: string): string | undefined {
    if (this.seen.has(key)) return this.seen.get(key);
    const guess = this.seen.size < 100 ? nearest(key, knownKeys) : undefined;
    this.seen.set(key, guess);
    return guess;
  }
}

function unknownKey(e: ConfigEntry, guesses: Guesses): Finding | undefined {
  if (knownKeys.has(e.key)) return undefined;
  const guess = guesses.of(e.key);
  if (guess) {
    const f = finding(
      'HS510',
      e.keySpan.start,
      e.keySpan.end,
      `ocserv has no key "${e.key}": did you mean ${guess}? ocserv skips a key it does not know, so this setting never takes effect.`,
      'warning',
    );
    return withFix(f, { kind: 'replace', with: guess });
  }
  return finding(
    'HS510',
    e.keySpan.start,
    e.keySpan.end,
    `"${e.key}" is not a key of ocserv 1.x's configuration (sample.config and the man page): check its spelling and your ocserv version.`,
    'information',
  );
}

function scriptKeyFindings(e: ConfigEntry, ctx: ConfigContext, restricted: boolean): Finding[] {
  const at = (code: 'HS502' | 'HS504' | 'HS505', message: string): Finding =>
    finding(code, e.valueSpan.start, Math.max(e.valueSpan.end, e.valueSpan.start), message);
  if (!e.value) return [finding('HS502', e.keySpan.start, e.keySpan.end, `${e.key} has no value: write the absolute path of the script.`)];
  if (!path.posix.isAbsolute(e.value)) {
    return [
      at(
        'HS502',
        `${e.key} must be an absolute path: ocserv execs "${e.value}" from its own working folder (and chroot), so a ` +
          `relative path does not find your script.`,
      ),
    ];
  }
  const located = ctx.locate(e.value);
  if (!located)
    return [
      at(
        'HS504',
        `${e.value} is not in the workspace (looked for ${ctx.lookedFor(e.value)}): Hooksmith cannot check the script. ` +
          `Map the server folder to a workspace folder with hooksmith.hooks.serverPaths.`,
      ),
    ];
  // ocserv-fw runs connect's and disconnect's scripts as `/bin/sh script`, so only they may lack the execute bit.
  const execd = !throughFw(scriptKeys.get(e.key)?.runBy[0] ?? '', restricted);
  if (execd && located.mode !== undefined && process.platform !== 'win32' && (located.mode & 0o111) === 0) {
    return [
      at(
        'HS505',
        `${path.basename(located.file)} (found ${howFound(located.how)}) is not executable: ocserv execs it directly, ` +
          `so the exec fails${e.key === 'connect-script' ? ' and every login is refused' : ''}. Run chmod +x on it.`,
      ),
    ];
  }
  return [];
}

function howFound(how: 'path' | 'beside' | 'mapping'): string {
  return how === 'path' ? 'at its path in the workspace' : how === 'beside' ? 'beside this file' : 'through hooksmith.hooks.serverPaths';
}

function profileFindings(e: ConfigEntry, ctx: ConfigContext): Finding[] {
  if (!e.value) return [];
  const located = ctx.locate(e.value);
  const span = [e.valueSpan.start, e.valueSpan.end] as const;
  if (!located)
    return [
      finding(
        'HS506',
        ...span,
        `The profile ${e.value} is not in the workspace (looked for ${ctx.lookedFor(e.value)}): it cannot be validated. ` +
          `ocserv must be able to read it (inside the worker's chroot) or clients get no profile.`,
      ),
    ];
  const problems = ctx.profileProblems(located.file);
  if (!problems || problems.errors + problems.warnings === 0) return [];
  const counts = [problems.errors ? `${problems.errors} error(s)` : '', problems.warnings ? `${problems.warnings} warning(s)` : '']
    .filter(Boolean)
    .join(' and ');
  const f = finding(
    'HS507',
    ...span,
    `The profile ocserv serves to clients, ${path.basename(located.file)}, has ${counts} (shown in that file; the ` +
      `first ones are linked here). Clients receive it as it is.`,
    problems.errors ? 'warning' : 'information',
  );
  return [{ ...f, related: problems.places }];
}
