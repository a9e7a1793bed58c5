import * as fs from 'node:fs';
import * as path from 'node:path';
import { readHeadSync, readSmallTextSync } from '../../files/readFile';
import type { ParsedConfig } from '../../config/keyValue';
import type { ConfigContext, ConfigDocumentType, HookFamily, WiredHook } from '../family';
import { mainScript } from './hooks';

/**
 * openconnect names its script with --script / -s. A systemd unit or a wrapper script beside a
 * file that names it so makes that file a vpnc-script, whatever its name. Only the launcher's own
 * folder is read (recognition is per folder), each launcher at most once per change on disk, and
 * at most `maxReadPerFolder` siblings of a folder: a folder of thousands of files costs no more.
 */

const maxLauncherBytes = 256 * 1024;
const maxCached = 1024;
/** Siblings read per folder (launchers by name first, then the rest in name order). */
export const maxReadPerFolder = 64;
/** Enough of a file to hold its #! line. */
const shebangBytes = 128;

/** A file that may start openconnect by its name: a systemd unit, a file whose name says openconnect, or a .sh / .bash script. */
export function isLauncherName(name: string): boolean {
  return /\.service$/.test(name) || /openconnect/i.test(name) || /\.(sh|bash)$/.test(name);
}

/** A #! line naming a POSIX-like shell, directly or through env: `#!/bin/bash`, `#! /usr/bin/env -S dash -e`. */
export function isShellShebang(head: string): boolean {
  const words = /^#!([^\n]*)/.exec(head)?.[1].trim().split(/\s+/) ?? [];
  const program = words[0] && path.posix.basename(words[0]) === 'env' ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
  return program !== undefined && /^(sh|bash|dash|zsh|ksh|mksh)$/.test(path.posix.basename(program));
}

const cache = new Map<string, { stamp: string; scripts: string[] }>();

/**
 * The scripts `launcher` gives openconnect with --script / -s, as written (a path, or a command's
 * first word). `byName`: its name says it is a launcher; otherwise it is one only if its #! line
 * names a shell (only its first bytes are read to tell).
 */
export function scriptsNamedBy(launcher: string, byName = true): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(launcher);
  } catch {
    return [];
  }
  if (!stat.isFile() || stat.size > maxLauncherBytes) return [];
  const stamp = `${stat.mtimeMs}:${stat.size}:${byName}`;
  const hit = cache.get(launcher);
  if (hit?.stamp === stamp) return hit.scripts;
  const head = byName ? undefined : readHeadSync(launcher, shebangBytes);
  const text = byName || (head && isShellShebang(head.toString('utf8'))) ? readSmallTextSync(launcher, maxLauncherBytes) : undefined;
  const scripts = text === undefined ? [] : scriptArguments(text);
  if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
  cache.set(launcher, { stamp, scripts });
  return scripts;
}

/** Every --script / -s value of an openconnect command line in a unit's Exec lines or a shell script. */
export function scriptArguments(text: string): string[] {
  const found: string[] = [];
  for (const line of logicalLines(text)) scriptsOfLine(line.replace(/^\s*Exec\w*=[-@:+!]*/, ''), found, 1);
  return found;
}

/**
 * The --script values of each command of a line (`cat pass | openconnect ...`, `a && openconnect ...`), and, `depth`
 * levels down, of the command line a shell's -c runs (`ExecStart=/bin/sh -c 'exec openconnect ...'`).
 */
function scriptsOfLine(line: string, found: string[], depth: number): void {
  for (const words of shellCommands(line)) {
    const at = commandWord(words);
    if (at < 0) continue;
    const program = path.basename(words[at]);
    const dashC = words.indexOf('-c', at + 1);
    if (depth > 0 && /^(sh|bash|dash)$/.test(program) && dashC > 0 && words[dashC + 1] !== undefined)
      scriptsOfLine(words[dashC + 1], found, depth - 1);
    if (program !== 'openconnect') continue;
    for (let i = at + 1; i < words.length; i++) {
      const w = words[i];
      const value =
        w === '--script' || w === '-s' ? words[++i] : w.startsWith('--script=') ? w.slice(9) : /^-s./.test(w) ? w.slice(2) : undefined;
      const first = value === undefined ? undefined : shellWords(value)[0];
      if (first) found.push(first);
    }
  }
}

/** Words that run the command after them: `exec openconnect`, `sudo openconnect`, `if ! openconnect`. */
const prefixes = new Set([
  'exec',
  'sudo',
  'doas',
  'pkexec',
  'nohup',
  'setsid',
  'env',
  'command',
  'nice',
  'time',
  '!',
  'if',
  'then',
  'else',
  'do',
  '{',
  '(',
]);

/** Where the command of a line is: past assignments, prefixes and their options; -1 for none (an `echo openconnect` is not it). */
function commandWord(words: readonly string[]): number {
  let at = 0;
  while (at < words.length && (/^\w+=/.test(words[at]) || prefixes.has(words[at]) || (at > 0 && words[at].startsWith('-')))) at++;
  return at < words.length ? at : -1;
}

/** Lines with backslash continuations joined, comments left out. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .filter((l) => !/^\s*[#;]/.test(l));
}

/** Shell words of a line's first command: quotes removed, backslashes honoured. */
export function shellWords(line: string): string[] {
  return shellCommands(line)[0] ?? [];
}

/** The words of each command of a line, split at an unquoted ; | or &, up to an unquoted # that starts a word. */
function shellCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      const stop = end < 0 ? line.length : end;
      word = (word ?? '') + line.slice(i + 1, stop).replace(c === '"' ? /\\(["\\$`])/g : /$^/, '$1');
      i = stop;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      endWord();
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === ';' || c === '|' || c === '&') {
      endWord();
      if (words.length) commands.push(words);
      words = [];
    } else {
      word = (word ?? '') + c;
    }
  }
  endWord();
  if (words.length) commands.push(words);
  return commands;
}

/** Whether a launcher among `siblings` of `file` names it with --script / -s (by path from the launcher's folder, or by name). */
export function namedByLauncher(file: string, siblings: readonly string[]): boolean {
  const dir = path.dirname(path.resolve(file));
  const name = path.basename(file);
  for (const { sibling, byName } of launcherCandidates(siblings)) {
    if (sibling === name) continue; // the hook is not its own launcher
    for (const script of scriptsNamedBy(path.join(dir, sibling), byName)) {
      if (path.resolve(dir, script) === path.resolve(file) || path.basename(script) === name) return true;
    }
  }
  return false;
}

interface Candidate {
  readonly sibling: string;
  readonly byName: boolean;
}

/** Per folder listing (every file of a folder is recognised against the same one): chosen once, not once per file. */
const candidatesOf = new WeakMap<readonly string[], Candidate[]>();

/**
 * The siblings worth reading, at most `maxReadPerFolder` (one more, in case one is the hook
 * itself): launchers by name first, then files that may hold a #! line (not dot files, not
 * documents), each group in name order so the same folder gives the same answer anywhere.
 */
function launcherCandidates(siblings: readonly string[]): Candidate[] {
  const known = candidatesOf.get(siblings);
  if (known) return known;
  const named: string[] = [];
  const others: string[] = [];
  for (const s of siblings) {
    if (isLauncherName(s)) named.push(s);
    else if (!s.startsWith('.') && !notALauncher.test(s)) others.push(s);
  }
  const sorted = (names: string[]) => names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const chosen = [
    ...sorted(named).map((sibling) => ({ sibling, byName: true })),
    ...sorted(others).map((sibling) => ({ sibling, byName: false })),
  ].slice(0, maxReadPerFolder + 1);
  candidatesOf.set(siblings, chosen);
  return chosen;
}

/** Launchers that are documents, not scripts: notes, data, packaging (the wrapper's own docs name openconnect too). */
const notALauncher = /\.(md|txt|rst|html?|json|ya?ml|xml|patch|diff|orig|rej|ts|js|py)$/i;

/**
 * Launchers anywhere in the workspace, as a config document type that only wires: the scripts it
 * gives openconnect with --script / -s are vpnc-scripts wherever they are (a unit in deploy/systemd/
 * naming scripts/split-routes). A relative path is the launcher's (resolved against its folder); an
 * absolute one is found as ocserv.conf's are: through hooksmith.hooks.serverPaths, at that path
 * under a workspace folder, else by its base name beside the launcher. A path built from a variable
 * ("$DIR/routes") is looked for by its base name beside the launcher.
 */
export function launcherDocument(family: () => HookFamily): ConfigDocumentType {
  return {
    id: 'openconnect-launcher',
    displayName: 'openconnect launcher',
    candidates: ['**/*.service', '**/*openconnect*', '**/*.sh', '**/*.bash'],
    syntax: { separator: '=', comments: '#;', sections: true },
    wiresOnly: true,
    recognize: (file) => isLauncherName(path.basename(file)) && !notALauncher.test(file),
    lint: () => [],
    wiring(config: ParsedConfig, ctx: ConfigContext): WiredHook[] {
      return [...new Set(scriptArguments(config.text))].map((script) => ({
        family: family(),
        hook: mainScript,
        config: ctx.file,
        key: '--script',
        serverPath: script,
        file: (ctx.locate(script) ?? (script.includes('$') ? ctx.locate(path.posix.basename(script)) : undefined))?.file,
      }));
    },
  };
}
