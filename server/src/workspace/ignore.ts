import * as path from 'node:path';
import { readRegularFile } from '../files/readFile';
import { withoutTrailingSlashes } from '../text/runs';

/** Folder names the walk never enters, whatever the workspace says. */
const alwaysSkipped = new Set(['node_modules', '.git']);

/** Folders a top-level .gitignore names plainly. */
export interface IgnoredFolders {
  /** `name`, `name/`: a folder of that name at any depth. */
  readonly anywhere: ReadonlySet<string>;
  /** `/name`, `a/b/`: one folder, by its path from the root (with /). */
  readonly paths: ReadonlySet<string>;
}

export const noIgnoredFolders: IgnoredFolders = { anywhere: new Set(), paths: new Set() };

/**
 * Only plain names and paths are read: globs and negations would need the whole of gitignore's
 * semantics, and missing one costs a little walking, never a wrong finding.
 */
export function parseGitignore(text: string): IgnoredFolders {
  const anywhere = new Set<string>();
  const paths = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || /^[!#]/.test(line) || /[*?[\]\\]/.test(line)) continue; // comments, negations, globs
    const name = withoutTrailingSlashes(line.replace(/^\/+/, ''));
    if (!name || name.split('/').some((s) => s === '' || s === '.' || s === '..')) continue;
    // gitignore: a slash at the start or in the middle anchors the pattern to the root.
    (line.startsWith('/') || name.includes('/') ? paths : anywhere).add(name);
  }
  return { anywhere, paths };
}

/** A .gitignore larger than this is not read (a real one is a few kilobytes). */
const maxGitignoreBytes = 1024 * 1024;

/**
 * The plain names and paths in `root`/.gitignore; none when it is missing, unreadable, too large or not a regular file (a FIFO, a link to
 * /dev/zero).
 */
export async function readGitignore(root: string): Promise<IgnoredFolders> {
  const read = await readRegularFile(path.join(root, '.gitignore'), maxGitignoreBytes);
  return read.kind === 'read' ? parseGitignore(read.bytes.toString('utf8')) : noIgnoredFolders;
}

/** Whether the walk skips a folder, given its path from the root with / (`src/build`). */
export function skipsFolder(relative: string, ignored: IgnoredFolders): boolean {
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  if (alwaysSkipped.has(name) || name.startsWith('.')) return true;
  return ignored.anywhere.has(name) || ignored.paths.has(relative);
}

/** Whether `file` lies in a folder the walk skips; `root` is where the .gitignore was read. */
export function inSkippedFolder(root: string, file: string, ignored: IgnoredFolders, isFolder = false): boolean {
  const names = path.relative(root, file).split(path.sep).filter(Boolean);
  const folders = isFolder ? names : names.slice(0, -1);
  return folders.some((_, i) => skipsFolder(folders.slice(0, i + 1).join('/'), ignored));
}
