import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSmallTextSync } from '../../files/readFile';
import type { ParsedConfig } from '../../config/keyValue';
import type { ConfigContext, ConfigDocumentType, HookFamily, WiredHook } from '../family';
import { mainScript } from './hooks';

/**
 * openconnect names its script with --script / -s. A systemd unit or a wrapper script beside a
 * file that names it so makes that file a vpnc-script, whatever its name. Only the launcher's own
 * folder is read (recognition is per folder), each launcher at most once per change on disk.
 */

const maxLauncherBytes = 256 * 1024;
const maxCached = 256;

/** A sibling that may start openconnect: a systemd unit, or a file whose name says openconnect. */
export function isLauncherName(name: string): boolean {
  return /\.service$/.test(name) || /openconnect/i.test(name);
}

const cache = new Map<string, { stamp: string; scripts: string[] }>();

/** The scripts `launcher` gives openconnect with --script / -s, as written (a path, or a command's first word). */
export function scriptsNamedBy(launcher: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(launcher);
  } catch {
    return [];
  }
  if (!stat.isFile() || stat.size > maxLauncherBytes) return [];
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const hit = cache.get(launcher);
  if (hit?.stamp === stamp) return hit.scripts;
  const text = readSmallTextSync(launcher, maxLauncherBytes);
  const scripts = text === undefined ? [] : scriptArguments(text);
  if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
  cache.set(launcher, { stamp, scripts });
  return scripts;
}

/** Every --script / -s value of an openconnect command line in a unit's Exec lines or a shell script. */
export function scriptArguments(text: string): string[] {
  const found: string[] = [];
  for (const line of logicalLines(text)) {
    const command = line.replace(/^\s*Exec\w*=[-@:+!]*/, '');
    const words = shellWords(command);
    const at = words.findIndex((w) => path.basename(w) === 'openconnect');
    if (at < 0) continue;
    for (let i = at + 1; i < words.length; i++) {
      const w = words[i];
      const value =
        w === '--script' || w === '-s' ? words[++i] : w.startsWith('--script=') ? w.slice(9) : /^-s./.test(w) ? w.slice(2) : undefined;
      const first = value === undefined ? undefined : shellWords(value)[0];
      if (first) found.push(first);
    }
  }
  return found;
}

/** Lines with backslash continuations joined, comments left out. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .filter((l) => !/^\s*[#;]/.test(l));
}

/** Shell words: quotes removed, backslashes honoured, stopped at an unquoted ; | & or #. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
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
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ((c === ';' || c === '|' || c === '&' || c === '#') && word === undefined) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Whether a launcher among `siblings` of `file` names it with --script / -s (by path from the launcher's folder, or by name). */
export function namedByLauncher(file: string, siblings: readonly string[]): boolean {
  const dir = path.dirname(path.resolve(file));
  const name = path.basename(file);
  for (const s of siblings) {
    if (s === name || !isLauncherName(s)) continue;
    for (const script of scriptsNamedBy(path.join(dir, s))) {
      if (path.resolve(dir, script) === path.resolve(file) || path.basename(script) === name) return true;
    }
  }
  return false;
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
    candidates: ['**/*.service', '**/*openconnect*'],
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
