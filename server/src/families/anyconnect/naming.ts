import * as path from 'node:path';
import { Finding, withFix } from '../../diagnostics';
import { describeChar, foldConfusables } from '../../text/confusables';
import { editDistance } from '../../text/nearest';
import { bomBeforeShebang, hasCrlf, isPosix, onFirstLine, shebang, writableByOthers } from '../common/fileChecks';
import { HookFile } from '../family';

export type AnyConnectEvent = 'OnConnect' | 'OnDisconnect';
const events: readonly AnyConnectEvent[] = ['OnDisconnect', 'OnConnect'];

export interface EventPrefix {
  readonly event: AnyConnectEvent;
  /**
   * exact: starts with the prefix as Cisco's client matches it; case: other letter case; near-miss: misspelt or split; confusable: a
   * lookalike letter (Cyrillic с) in it.
   */
  readonly kind: 'exact' | 'case' | 'near-miss' | 'confusable';
  /** Length of the prefix as written in the name. */
  readonly length: number;
}

/** Which event a file name is for, and how well it is written. */
export function eventPrefix(name: string): EventPrefix | undefined {
  return plainPrefix(name) ?? confusablePrefix(name);
}

/** Onсonnect_x.sh with a Cyrillic с: after folding lookalikes to Latin, a hook name (or a near miss of one). */
function confusablePrefix(name: string): EventPrefix | undefined {
  const folded = foldConfusables(name);
  const prefix = folded !== name ? plainPrefix(folded) : undefined;
  return prefix && { ...prefix, kind: 'confusable' };
}

function plainPrefix(name: string): EventPrefix | undefined {
  for (const event of events) {
    if (name.startsWith(event)) return { event, kind: 'exact', length: event.length };
    if (name.toLowerCase().startsWith(event.toLowerCase())) return { event, kind: 'case', length: event.length };
  }
  return nearMiss(name);
}

/** OnConect_x, On_Connect_x, onconnect-x: the leading letters, separators dropped, are within two edits of a prefix. */
function nearMiss(name: string): EventPrefix | undefined {
  const run = /^[A-Za-z_\- ]+/.exec(name)?.[0] ?? '';
  const letters = run.replace(/[_\- ]/g, '').toLowerCase();
  // 'on' first: OpenConnect wrappers (openconnect-*.sh) are not misspelt OnConnect hooks.
  if (!letters.startsWith('on') || letters.length < 7) return undefined;
  let best: EventPrefix | undefined;
  let bestDistance = 3;
  for (const event of events) {
    const target = event.toLowerCase();
    for (const len of [target.length, target.length - 1, target.length + 1, target.length - 2, target.length + 2]) {
      const d = editDistance(letters.slice(0, len), target);
      if (d < bestDistance) {
        best = { event, kind: 'near-miss', length: lengthOfLetters(run, len) };
        bestDistance = d;
      }
    }
  }
  return best;
}

/** How many characters of `run` (separators included) hold its first `letters` letters. */
function lengthOfLetters(run: string, letters: number): number {
  let seen = 0;
  let i = 0;
  while (i < run.length && seen < letters) if (!/[_\- ]/.test(run[i++])) seen++;
  return i;
}

/** The seed's convention: OnConnect_<name>.<ext>, keeping the rest of the name. */
export function conventionalName(name: string): string | undefined {
  const prefix = eventPrefix(name);
  if (!prefix) return undefined;
  const rest = name.slice(prefix.length).replace(/^[_\- ]+/, '');
  const stem = rest === '' || rest.startsWith('.') ? `script${rest}` : rest;
  return `${prefix.event}_${stem}`;
}

const windowsTypes = /\.(vbs|bat|cmd|ps1)$/i;
const windowsScriptFolder =
  /Cisco[\\/ ]+(Cisco Secure Client[\\/]VPN|Cisco AnyConnect Secure Mobility Client)[\\/]Script|(^|[\\/])windows([\\/]|$)/i;

export function isWindowsType(name: string): boolean {
  return windowsTypes.test(name);
}

/** Findings about the file itself: its name, mode, first line and line ends. */
export function fileFindings(file: HookFile): Finding[] {
  const name = path.basename(file.path);
  const found: Finding[] = [];
  const add = (f: Finding | undefined): void => void (f && found.push(f));
  add(nameFinding(file, name));
  if (!/\.[A-Za-z0-9]+$/.test(name))
    add(
      onFirstLine(
        file,
        'HS403',
        `${name} has no extension; the seed's convention is ${conventionalName(name) ?? name}.sh (Cisco's client ` +
          `ignores the extension, so it still runs).`,
      ),
    );
  if (isWindowsType(name)) {
    if (!windowsScriptFolder.test(path.dirname(path.resolve(file.path)))) {
      add(
        onFirstLine(
          file,
          'HS408',
          `${name} runs only on Windows, from %ALLUSERSPROFILE%\\Cisco\\Cisco Secure Client\\VPN\\Script\\; on Linux and ` +
            `macOS Cisco's client does not run it.`,
        ),
      );
    }
    return found;
  }
  add(modeFinding(file, name));
  if (bomBeforeShebang(file)) add(withFix(onFirstLine(file, 'HS409', bomMessage), { kind: 'remove-bom' }));
  else if (!file.text.startsWith('#!')) add(onFirstLine(file, 'HS406', missingShebang));
  if (hasCrlf(file.text)) add(crlfFinding(file));
  add(writableByOthers(file, 'the VPN user'));
  return found;
}

function nameFinding(file: HookFile, name: string): Finding | undefined {
  const f = nameProblem(file, name);
  const better = conventionalName(name);
  return f && better && better !== name ? withFix(f, { kind: 'rename', to: better }) : f;
}

function nameProblem(file: HookFile, name: string): Finding | undefined {
  const prefix = eventPrefix(name);
  if (!prefix) return undefined;
  const better = conventionalName(name);
  if (prefix.kind === 'confusable') {
    const lookalikes = [...new Set([...name.slice(0, prefix.length)].filter((c) => foldConfusables(c) !== c))].map(describeChar).join(', ');
    return onFirstLine(
      file,
      'HS410',
      `${name} only looks like a ${prefix.event} hook: ${lookalikes} ${lookalikes.includes(',') ? 'are' : 'is'} not ` +
        `Latin. Cisco's client compares the name byte for byte, so it never runs this file. Rename it to ${better}.`,
    );
  }
  if (prefix.kind === 'near-miss') {
    return onFirstLine(
      file,
      'HS402',
      `${name} looks like a misspelt ${prefix.event} hook: Cisco's client runs only files whose names start with ` +
        `${prefix.event}. Rename it to ${better}.`,
    );
  }
  if (prefix.kind === 'case') {
    return onFirstLine(
      file,
      'HS401',
      `${name} starts with ${name.slice(0, prefix.length)}; Cisco's client matches ${prefix.event} exactly (file ` +
        `names are case-sensitive on Linux and macOS). Rename it to ${better}.`,
    );
  }
  if (name[prefix.length] !== '_' && better !== name) {
    return onFirstLine(file, 'HS401', `The seed's convention is ${prefix.event}_<name>.<ext>: rename ${name} to ${better}.`);
  }
  return undefined;
}

const execFails = 'exec fails with "Exec format error" (the executor calls execl, which does not fall back to sh)';
const missingShebang = `No #! line: ${execFails}. Start with #!/bin/sh or #!/bin/bash.`;
const bomMessage =
  `A UTF-8 byte-order mark comes before #!, so the kernel does not see the #! line: ${execFails}. Save the file ` + `as UTF-8 without BOM.`;

function modeFinding(file: HookFile, name: string): Finding | undefined {
  if (file.mode === undefined || !isPosix() || (file.mode & 0o111) !== 0) return undefined;
  return onFirstLine(
    file,
    'HS405',
    `${name} is not executable: the executor checks access(X_OK) and refuses it ("Script not found or not ` +
      `executable"). Run chmod +x ${name}.`,
  );
}

function crlfFinding(file: HookFile) {
  const interp = shebang(file.text);
  const why =
    interp && file.text.indexOf('\r') < file.text.indexOf('\n')
      ? `the kernel looks for the interpreter "${interp}\\r" and fails with "${interp}^M: bad interpreter"`
      : 'every command gets a stray carriage return ("command not found", "$\'\\r\'")';
  return onFirstLine(file, 'HS407', `This script has Windows (CRLF) line ends: ${why}. Convert it to LF.`);
}

/** Cisco's client runs one script per event: the first name with the prefix. */
export function folderFindings(file: HookFile, event: string): Finding[] {
  const same = file.siblings.filter((s) => eventPrefix(s)?.kind === 'exact' && eventPrefix(s)?.event === event).sort();
  if (same.length < 2) return [];
  const name = path.basename(file.path);
  const runs = same[0];
  const verdict = runs === name ? 'This one would run (it sorts first)' : `${runs} would run, not this one`;
  return [
    onFirstLine(
      file,
      'HS404',
      `${same.length} files here start with ${event} (${same.join(', ')}); Cisco's client runs only the first match. ` +
        `${verdict}, though the order is not guaranteed. Keep one per event.`,
    ),
  ];
}
