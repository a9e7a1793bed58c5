import * as fs from 'node:fs';
import * as path from 'node:path';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { listFolder } from '../hooks/lintHook';
import { looksLikeProfile } from '../profile/recognize';
import { isFile } from '../fileKinds';
import { rethrowUnlessIo } from './ioError';

export type Kind = 'profile' | 'hook';

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

/** Explicit files are linted as what they are; folders contribute the profiles and hooks they hold. */
export function collect(paths: readonly string[], mappings: FamilyMappings = {}): Collected {
  const result: Collected = { files: [], unknown: [], unreadable: [] };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      result.unreadable.push({ path: p, reason: reason(rethrowUnlessIo(e)) });
      continue;
    }
    if (stat.isDirectory()) walk(p, result, mappings);
    else addExplicit(p, result, mappings);
  }
  return result;
}

/** A named file is a profile if it looks like one or ends in .xml (the linter then says what is wrong), else a hook if recognised. */
function addExplicit(file: string, result: Collected, mappings: FamilyMappings): void {
  if (/\.xml$/i.test(file) || isProfileFile(file)) result.files.push({ path: file, kind: 'profile' });
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
  const siblings = entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symbolic links to folders are not followed: no loops, no escape from the tree given.
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith('.')) walk(full, result, mappings);
    } else if (/\.xml$/i.test(entry.name)) {
      if (isProfileFile(full)) result.files.push({ path: full, kind: 'profile' });
    } else if ((entry.isFile() || (entry.isSymbolicLink() && isFile(full))) && recognizeHook(full, siblings, mappings)) {
      result.files.push({ path: full, kind: 'hook' });
    }
  }
}


function isProfileFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(8192);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return looksLikeProfile(head.subarray(0, n).toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
