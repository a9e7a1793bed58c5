import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileSync } from '../files/readFile';
import { checkSpec } from './check';
import { isSpecFile } from './model';
import type { SpecFile } from './spec';

/** A spec is a few KB; this bounds what a hostile "spec" can make the checker read. */
export const maxSpecBytes = 1024 * 1024;

const skipped = new Set(['node_modules', 'out', 'dist']);

export interface Specs {
  readonly specs: SpecFile[];
  readonly unreadable: { readonly path: string; readonly reason: string }[];
}

/** The spec files among `paths` (a folder is searched; a file given by name is taken), read and checked. */
export function collectSpecs(paths: readonly string[]): Specs {
  const files: string[] = [];
  const unreadable: Specs['unreadable'] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      unreadable.push({
        path: p,
        reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message,
      });
      continue;
    }
    if (stat.isDirectory()) walk(p, files);
    else files.push(p);
  }
  const specs: SpecFile[] = [];
  for (const file of files) {
    const read = readRegularFileSync(file, maxSpecBytes);
    if (read.kind !== 'read')
      unreadable.push({
        path: file,
        reason:
          read.kind === 'too-large'
            ? `larger than ${maxSpecBytes} bytes`
            : read.kind === 'not-regular'
              ? `${read.what}, not a regular file`
              : read.kind === 'error'
                ? read.reason
                : 'no such file',
      });
    else specs.push(checkSpec(read.bytes.toString('utf8'), path.resolve(file)));
  }
  return { specs, unreadable };
}

function walk(dir: string, into: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    // Links to folders are not followed: no loops, no escape from the tree given.
    if (e.isDirectory()) {
      if (!skipped.has(e.name) && !e.name.startsWith('.')) walk(full, into);
    } else if (isSpecFile(e.name)) into.push(full);
  }
}
