import * as fs from 'node:fs';
import * as path from 'node:path';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { listFolder } from '../hooks/lintHook';
import { isLinkToDevNull } from '../fileKinds';
import { looksLikeProfile } from '../profile/recognize';
import { rethrowUnlessIo } from './ioError';
import { aFolder, readRegularFileSync, specialKind } from '../files/readFile';
import { ConfigMatch, configTypeOnDisk, lintAndWire } from '../config/configDocs';
import { loadShellParser } from '../shell/parser';
import { ConfigPlaces } from '../config/context';
import { decode } from '../text/decode';
import { isSpecFile } from '../hooktest/model';

export type Kind = 'profile' | 'hook' | 'config' | 'spec';

export interface Target {
  readonly path: string;
  readonly kind: Kind;
}

export interface Collected {
  /** Files to lint, in a stable order. */
  readonly files: Target[];
  /** Files named explicitly that are neither a profile nor a hook Hooksmith knows. */
  readonly unknown: string[];
  /** Paths that could not be read, with the reason. */
  readonly unreadable: { path: string; reason: string }[];
}

const skippedFolders = new Set(['node_modules', '.git', 'dist', 'out']);

/**
 * Explicit files are linted as what they are; folders contribute the profiles, config documents
 * and hooks they hold. The config documents are found and wired first, so that the scripts they
 * name are recognised as hooks whatever their names.
 */
export async function collect(
  paths: readonly string[],
  mappings: FamilyMappings = {},
  places: ConfigPlaces = { roots: [process.cwd()], serverPaths: {} },
): Promise<Collected> {
  const result: Collected = { files: [], unknown: [], unreadable: [] };
  await wireConfigs(paths, places);
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      result.unreadable.push({ path: p, reason: reason(rethrowUnlessIo(e)) });
      continue;
    }
    const what = specialKind(stat);
    if (stat.isDirectory()) walk(p, result, mappings);
    else if (what) result.unreadable.push({ path: p, reason: notRegularReason(what, p) });
    else addExplicit(p, result, mappings);
  }
  // A file named and also inside a folder named (lint FILE DIR) is linted and reported once.
  const seen = new Set<string>();
  return { ...result, files: result.files.filter((f) => !seen.has(path.resolve(f.path)) && !!seen.add(path.resolve(f.path))) };
}

/**
 * A named file is a hook test spec or a config document by its name, a profile if it looks like one or ends in .xml
 * (the linter then says what is wrong), else a hook if recognised.
 */
function addExplicit(file: string, result: Collected, mappings: FamilyMappings): void {
  if (isSpecFile(path.basename(file))) result.files.push({ path: file, kind: 'spec' });
  else if (configTypeOnDisk(file)) result.files.push({ path: file, kind: 'config' });
  else if (/\.xml$/i.test(file) || isProfileFile(file)) result.files.push({ path: file, kind: 'profile' });
  else if (recognizeHook(file, listFolder(path.dirname(file)), mappings)) result.files.push({ path: file, kind: 'hook' });
  else result.unknown.push(file);
}

function walk(dir: string, result: Collected, mappings: FamilyMappings): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    result.unreadable.push({ path: dir, reason: reason(rethrowUnlessIo(e)) });
    return;
  }
  const siblings = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symbolic links to folders are not followed: no loops, no escape from the tree given.
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith('.')) walk(full, result, mappings);
    } else if (isSpecFile(entry.name)) {
      addFound(full, result, 'spec');
    } else if (configTypeOnDisk(full)) {
      result.files.push({ path: full, kind: 'config' });
    } else if (/\.xml$/i.test(entry.name)) {
      addFound(full, result);
    } else {
      const recognized = recognizeHook(full, siblings, mappings);
      // A masked hook (a link to /dev/null) is one its runner skips: nothing to read or report.
      if (recognized && !(recognized.family.skipsLinksToDevNull && isLinkToDevNull(full))) addFound(full, result);
    }
  }
}

/**
 * One rule for links, as in the workspace scan and the simulator: a link is followed, and what
 * it leads to must be a regular file; a profile's or a hook's name on anything else (a FIFO, a
 * device, a folder) is reported, never read.
 */
function addFound(full: string, result: Collected, kind?: 'spec'): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    return; // a dangling link: nothing there to lint
  }
  const what = specialKind(stat);
  if (what === aFolder) return; // links to folders are not followed
  if (what) result.unreadable.push({ path: full, reason: notRegularReason(what, full) });
  else if (kind) result.files.push({ path: full, kind });
  else if (!/\.xml$/i.test(full)) result.files.push({ path: full, kind: 'hook' });
  else if (isProfileFile(full)) result.files.push({ path: full, kind: 'profile' });
}

const maxConfigBytes = 10 * 1024 * 1024;

/** Lints and wires every config document under the paths; the shell parser is loaded first when one holds shell (wg-quick's hook lines). */
async function wireConfigs(paths: readonly string[], places: ConfigPlaces): Promise<void> {
  const found: { file: string; match: ConfigMatch }[] = [];
  const visit = (p: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(p, { withFileTypes: true });
    } catch {
      return wire(p);
    }
    if (depth > 64) return;
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!skippedFolders.has(e.name) && !e.name.startsWith('.')) visit(path.join(p, e.name), depth + 1);
      } else wire(path.join(p, e.name));
    }
  };
  const wire = (file: string): void => {
    const match = configTypeOnDisk(file, true); // launchers too: they only wire
    if (match) found.push({ file, match });
  };
  for (const p of paths) visit(p, 0);
  if (found.some((f) => f.match.type.shellcheckPlan)) await loadShellParser();
  for (const { file, match } of found) {
    const read = readRegularFileSync(file, maxConfigBytes);
    if (read.kind === 'read') lintAndWire(match, file, decode(read.bytes), places);
  }
}

function notRegularReason(what: string, file: string): string {
  return `${what}, not a regular file${file === '/dev/stdin' ? ' (use - --stdin-filename NAME to read standard input)' : ''}`;
}

/** Whether a regular file starts as a profile does; only its head is read, through the bounded reader. */
function isProfileFile(file: string): boolean {
  const r = readRegularFileSync(file, 8192);
  const head = r.kind === 'read' ? r.bytes : r.kind === 'too-large' ? r.head : undefined;
  return head !== undefined && looksLikeProfile(head.toString('utf8'));
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
