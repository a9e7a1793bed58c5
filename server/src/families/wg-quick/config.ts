import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyValueSyntax, ParsedConfig } from '../../config/keyValue';
import { Finding, finding, withFix } from '../../diagnostics';
import { ShellcheckPlan } from '../../shellcheck/plan';
import { nearest } from '../../text/nearest';
import { ConfigContext, ConfigDocumentType, HookFamily, WiredHook } from '../family';
import { maxParsedLines, parsedLines, ParsedLine, unclosedQuote } from './analysis';
import { hookKeyOf, hookKeys, hookScript } from './hooks';
import { hookLines, interfaceOf, lineName, substituted } from './lines';
import { undoFindings, undoneKeys } from './undo';
import { callArguments, calledScripts } from './calledScripts';
import { wgCompletion, wgHover } from './authoring';

/** The keys of each section (wg-quick(8) and wg(8)), as the man pages spell them. */
const interfaceKeys = ['PrivateKey', 'ListenPort', 'FwMark', 'Address', 'DNS', 'MTU', 'Table', 'SaveConfig', ...hookKeys];
const peerKeys = ['PublicKey', 'PresharedKey', 'AllowedIPs', 'Endpoint', 'PersistentKeepalive'];
const lower = (keys: readonly string[]) => new Set(keys.map((k) => k.toLowerCase()));
const inInterface = lower(interfaceKeys);
const inPeer = lower(peerKeys);

/** `key = value` lines in `[Interface]` / `[Peer]` sections, keys compared without case (wg-quick's nocasematch). */
export const wgSyntax: KeyValueSyntax = { separator: '=', comments: '#', sections: true, caseInsensitive: true };

/** wg-quick's check of the name it takes the interface's from (linux.bash, auto_su / parse_options). */
export const configName = /^[a-zA-Z0-9_=+.-]{1,15}\.conf$/;

const interfaceLine = /^\uFEFF?[ \t]*\[[ \t]*interface[ \t]*\][ \t]*\r?$/im;

/** A `.conf` with an `[Interface]` section line (compared without case, as wg-quick's nocasematch does). */
export function isWgQuickConf(file: string, head: string): boolean {
  return /\.conf$/i.test(file) && interfaceLine.test(head);
}

/** The wg-quick config document type; `family` is read when a config is wired (the family object holds this type). */
export function wgQuickConfig(family: () => HookFamily): ConfigDocumentType {
  return {
    id: 'wg-quick.conf',
    displayName: 'wg-quick config',
    candidates: ['**/*.conf'],
    syntax: wgSyntax,
    recognize: isWgQuickConf,
    lint: lintWgConf,
    wiring: (config, ctx) => wiredScripts(config, ctx, family()),
    shellcheckPlan: hooksForShellcheck,
    completion: wgCompletion(family),
    hover: wgHover(family),
  };
}

function lintWgConf(config: ParsedConfig, ctx: ConfigContext): Finding[] {
  const iface = interfaceOf(ctx.file);
  const lines = parsedLines(config);
  const out = [...fileFindings(config, ctx.file), ...keyFindings(config)];
  if (hookLines(config).length > maxParsedLines) {
    const skipped = hookLines(config)[maxParsedLines];
    out.push(
      finding(
        'HS652',
        skipped.entry.keySpan.start,
        skipped.entry.keySpan.end,
        `More than ${maxParsedLines} hook lines: the ones from here on were not parsed.`,
        'information',
      ),
    );
  }
  const running = lines.filter((l) => l.line.inInterface);
  for (const l of running) {
    if (l.syntax) out.push(l.syntax);
    const cut = cutFinding(l);
    if (cut) out.push(cut);
    out.push(...hardCodedName(l, iface), ...scriptFindings(l, iface, ctx));
  }
  const parsed = running.filter((l) => !l.syntax);
  out.push(...undoFindings(parsed, iface, calledScripts(parsed, iface, ctx.locate)));
  return out;
}

/** The config's first line: where findings about the file as a whole sit. */
function firstLine(config: ParsedConfig): { start: number; end: number } {
  const start = config.bom ? 1 : 0;
  const m = /\r?\n/.exec(config.text.slice(start));
  return { start, end: m ? start + m.index : config.text.length };
}

function fileFindings(config: ParsedConfig, file: string): Finding[] {
  const at = firstLine(config);
  const out: Finding[] = [];
  const name = path.basename(file);
  if (!configName.test(name)) {
    const base =
      name
        .replace(/\.conf$/i, '')
        .replace(/[^a-zA-Z0-9_=+.-]/g, '-')
        .slice(0, 15) || 'wg0';
    out.push(
      withFix(
        finding(
          'HS656',
          at.start,
          at.end,
          `wg-quick refuses the name ${name}: it must match ^[a-zA-Z0-9_=+.-]{1,15}\\.conf$ (the part before .conf ` +
            `becomes the interface name, at most 15 characters, no spaces). Rename it, for example to ${base}.conf.`,
        ),
        { kind: 'rename', to: `${base}.conf` },
      ),
    );
  }
  const mode = modeOf(file);
  if (mode !== undefined && (mode & 0o077) !== 0 && process.platform !== 'win32') {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    out.push(
      finding(
        'HS657',
        at.start,
        at.end,
        `This config holds the interface's private key and ${readers(mode)} may read it ` +
          `(mode ${octal}); wg-quick warns "${name} is world accessible" for the same reason. Run chmod 600 ${name}.`,
      ),
    );
  }
  return out;
}

function readers(mode: number): string {
  return [mode & 0o070 ? 'its group' : '', mode & 0o007 ? 'others' : ''].filter(Boolean).join(' and ');
}

function modeOf(file: string): number | undefined {
  if (!path.isAbsolute(file)) return undefined;
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function keyFindings(config: ParsedConfig): Finding[] {
  const out: Finding[] = [];
  const reportedSections = new Set<number>();
  for (const e of config.entries) {
    const section = e.section?.toLowerCase();
    if (section !== undefined && section !== 'interface' && section !== 'peer') {
      const span = e.sectionSpan ?? e.keySpan;
      if (!reportedSections.has(span.start)) {
        reportedSections.add(span.start);
        out.push(
          finding(
            'HS659',
            span.start,
            span.end,
            `[${e.section}] is not a section of a WireGuard config: wg rejects it and wg-quick up fails. Use [Interface] or [Peer].`,
          ),
        );
      }
      continue;
    }
    const known = inInterface.has(e.key) || inPeer.has(e.key);
    if (!known) {
      const near = nearest(config.text.slice(e.keySpan.start, e.keySpan.end), [...interfaceKeys, ...peerKeys]);
      const f = finding(
        'HS651',
        e.keySpan.start,
        e.keySpan.end,
        `wg-quick and wg know no key "${config.text.slice(e.keySpan.start, e.keySpan.end)}": wg setconf rejects the line ` +
          `and wg-quick up fails.${near ? ` Did you mean ${near}?` : ''}`,
      );
      out.push(near ? withFix(f, { kind: 'replace', with: near }) : f);
      continue;
    }
    const belongs = inInterface.has(e.key) ? 'interface' : 'peer';
    if (section === belongs) continue;
    const written = config.text.slice(e.keySpan.start, e.keySpan.end);
    const where = section === undefined ? 'before any section' : `in [${e.section}]`;
    const hook = hookKeyOf(e.key);
    out.push(
      finding(
        'HS650',
        e.keySpan.start,
        e.keySpan.end,
        hook
          ? `${written} ${where} is not run: wg-quick runs ${hook} only from [Interface] (elsewhere the line goes to wg, ` +
              `which rejects it). Move it under [Interface].`
          : `${written} belongs in [${belongs === 'interface' ? 'Interface' : 'Peer'}], not ${where}: wg rejects it there.`,
      ),
    );
  }
  return out;
}

/** A `#` that wg-quick cut the line at while bash would not have read it as a comment (inside quotes or a word). */
function cutFinding(l: ParsedLine): Finding | undefined {
  const { line } = l;
  if (line.cutAt === undefined) return undefined;
  const before = line.entry.value.slice(0, line.cutAt - line.start);
  const isComment = unclosedQuote(before) === undefined && (before === '' || /[\s;&|()]$/.test(before));
  if (isComment) return undefined;
  return finding(
    'HS653',
    line.cutAt,
    line.entry.valueSpan.end,
    `wg-quick cuts every line at its first "#", so ${line.key} runs only "${line.text}": the rest is never run. ` +
      `Move the command into a script and run that, or avoid "#" in the line.`,
  );
}

/** `wg0` in a line of wg0.conf: `%i` is the same name and survives a copy or rename of the file. */
function hardCodedName(l: ParsedLine, iface: string): Finding[] {
  if (!iface || !configName.test(`${iface}.conf`)) return [];
  return l.commands.flatMap((c) =>
    c.argSpans.flatMap((span, i) => {
      // "wg0" and 'wg0': the name inside the quotes, so the fix keeps them ("%i" is replaced before bash reads it).
      const quoted = span.endIndex - span.startIndex === iface.length + 2 ? 1 : 0;
      return c.args[i] === iface
        ? [
            withFix(
              finding(
                'HS655',
                l.line.start + span.startIndex + quoted,
                l.line.start + span.endIndex - quoted,
                `${iface} is this config's own interface: write %i, which wg-quick replaces with the interface name, so ` +
                  `the line keeps working when the file is copied or renamed.`,
              ),
              { kind: 'replace', with: '%i' },
            ),
          ]
        : [];
    }),
  );
}

const shells = new Set(['bash', 'sh', 'dash', '/bin/bash', '/bin/sh', '/usr/bin/bash', '/bin/dash']);

/** The script a line runs by its path: its first command's name (`/etc/wireguard/up.sh %i`), or `bash script`. */
export function scriptOf(l: ParsedLine): { path: string; start: number; end: number; direct: boolean } | undefined {
  const c = l.commands[0];
  if (!c) return undefined;
  if (c.name.includes('/') && !shells.has(c.name) && !/^\/(usr\/)?s?bin\//.test(c.name))
    return { path: c.name, start: l.line.start + c.nameSpan.startIndex, end: l.line.start + c.nameSpan.endIndex, direct: true };
  const arg = c.args[0];
  if (shells.has(c.name) && arg && !arg.startsWith('-') && (arg.includes('/') || arg.endsWith('.sh')))
    return { path: arg, start: l.line.start + c.argSpans[0].startIndex, end: l.line.start + c.argSpans[0].endIndex, direct: false };
  return undefined;
}

function scriptFindings(l: ParsedLine, iface: string, ctx: ConfigContext): Finding[] {
  const script = scriptOf(l);
  if (!script || /[$`]/.test(script.path)) return [];
  const serverPath = substituted(script.path, iface);
  const located = ctx.locate(serverPath);
  if (!located)
    return [
      finding(
        'HS658',
        script.start,
        script.end,
        `${serverPath} is not in the workspace (looked for ${ctx.lookedFor(serverPath)}): Hooksmith cannot check the ` +
          `script ${lineName(l.line)} runs. Map its folder with hooksmith.hooks.serverPaths, or keep it beside the config.`,
      ),
    ];
  if (script.direct && located.mode !== undefined && (located.mode & 0o111) === 0 && process.platform !== 'win32')
    return [
      finding(
        'HS661',
        script.start,
        script.end,
        `${path.basename(located.file)} is not executable: bash answers "Permission denied" when ${lineName(l.line)} runs ` +
          `it, and wg-quick aborts. Run chmod +x on it (or write "bash ${script.path}").`,
      ),
    ];
  return [];
}

/**
 * The scripts the lines run. Their facts: the interface, the arguments the line passes, and what
 * the config's down side (its lines and the scripts they run) removes, so an up script's own lint
 * reports what it adds that down never removes (HS654, in the script).
 */
function wiredScripts(config: ParsedConfig, ctx: ConfigContext, family: HookFamily): WiredHook[] {
  const iface = interfaceOf(ctx.file);
  const running = parsedLines(config).filter((l) => l.line.inInterface && !l.syntax);
  let undone: string[] | undefined;
  const downKeys = (): string[] => (undone ??= [...undoneKeys(running, iface, calledScripts(running, iface, ctx.locate))].sort());
  return running.flatMap((l) => {
    const script = scriptOf(l);
    if (!script || /[$`]/.test(script.path)) return [];
    const serverPath = substituted(script.path, iface);
    const file = ctx.locate(serverPath)?.file;
    const up = l.line.key === 'PreUp' || l.line.key === 'PostUp';
    const facts = { interface: iface, ...(up ? { args: callArguments(l, iface) ?? [], undone: downKeys() } : {}) };
    return [{ family, hook: hookScript, config: ctx.file, key: l.line.key, serverPath, file, facts }];
  });
}

/**
 * ShellCheck reads every hook line of [Interface] at once, each on a line of its own inside
 * `( ... )` (wg-quick evals each in a subshell), as bash. A line the shell parser cannot read is
 * replaced by `:` (its syntax error is Hooksmith's HS652), so one stray quote does not hide the
 * other lines. `offsetOf` maps ShellCheck's line and column back into the config.
 */
function hooksForShellcheck(config: ParsedConfig): ShellcheckPlan | undefined {
  const lines = parsedLines(config).filter((l) => l.line.inInterface);
  if (!lines.length) return undefined;
  const input = lines.map((l) => `(\n${l.syntax ? ':' : l.line.text}\n)\n`).join('');
  return {
    shell: 'bash',
    input,
    linesBefore: 0,
    // INTERFACE and the other variables wg-quick's own shell sets are referenced, never assigned here.
    exclude: ['SC2154'],
    offsetOf(line: number, column: number): number | undefined {
      const l = lines[Math.floor((line - 1) / 3)];
      if (!l || (line - 1) % 3 !== 1 || l.syntax) return undefined;
      return l.line.start + codeUnits(l.line.text, column - 1);
    },
  };
}

/** The UTF-16 length of the first `points` code points of `text` (all of it when shorter). */
function codeUnits(text: string, points: number): number {
  let i = 0;
  for (let n = 0; n < points && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}
