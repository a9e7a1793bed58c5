import * as fs from 'node:fs';
import * as path from 'node:path';
import { looksLikeProfile } from '../profile/recognize';

export interface Collected {
  /** Files to lint, in a stable order. */
  readonly files: string[];
  /** Paths that could not be read, with the reason. */
  readonly unreadable: { path: string; reason: string }[];
}

const skippedFolders = new Set(['node_modules', '.git', 'dist', 'out']);

/** Explicit files are always linted; folders contribute the .xml files that are profiles. */
export function collectProfiles(paths: readonly string[]): Collected {
  const result: Collected = { files: [], unreadable: [] };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      result.unreadable.push({ path: p, reason: reason(e) });
      continue;
    }
    if (stat.isDirectory()) walk(p, result);
    else result.files.push(p);
  }
  return result;
}

function walk(dir: string, result: Collected): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    result.unreadable.push({ path: dir, reason: reason(e) });
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symbolic links to folders are not followed: no loops, no escape from the tree given.
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith('.')) walk(full, result);
    } else if (/\.xml$/i.test(entry.name) && isProfileFile(full)) {
      result.files.push(full);
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
