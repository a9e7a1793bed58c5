import * as fs from 'node:fs';
import * as path from 'node:path';
import { append } from '../append';
import { IgnoredFolders, noIgnoredFolders, skipsFolder } from './ignore';

/**
 * One folder the walk reached: its path and the names of everything in it but folders (links, FIFOs and devices included: a hook's name on
 * one gets HS114).
 */
export interface Folder {
  readonly dir: string;
  /** Sorted; the same set of names a hook's siblings are read from. */
  readonly files: readonly string[];
}

export interface WalkLimits {
  /** Directory entries read in all, across every folder; the walk stops there. */
  readonly maxEntries: number;
  /** Folder levels below the root that are still entered. */
  readonly maxDepth: number;
}

export const defaultLimits: WalkLimits = { maxEntries: 100_000, maxDepth: 32 };

export interface WalkResult {
  readonly folders: number;
  readonly entries: number;
  /** True when a limit stopped the walk before it saw everything. */
  readonly truncated: boolean;
}

export interface WalkOptions {
  readonly limits?: WalkLimits;
  readonly ignored?: IgnoredFolders;
  /** The folder `ignored` is relative to, when the walk starts below it. */
  readonly ignoreRoot?: string;
}

/**
 * Visits `root` and the folders below it, one folder at a time. Each folder is read with an
 * asynchronous readdir, so a language server keeps answering while a large workspace is
 * walked. Symbolic links to folders are not followed: no loops, no escape from the root.
 */
export async function walkFolders(
  root: string,
  visit: (folder: Folder) => void | Promise<void>,
  options: WalkOptions = {},
): Promise<WalkResult> {
  const { maxEntries, maxDepth } = options.limits ?? defaultLimits;
  const ignored = options.ignored ?? noIgnoredFolders;
  const base = path
    .relative(options.ignoreRoot ?? root, root)
    .split(path.sep)
    .filter(Boolean)
    .join('/');
  const stack: { dir: string; depth: number; relative: string }[] = [{ dir: root, depth: 0, relative: base }];
  let entries = 0;
  let folders = 0;
  let truncated = false;
  while (stack.length) {
    const { dir, depth, relative } = stack.pop()!;
    let read = await readFolder(dir);
    if (entries + read.length > maxEntries) {
      read = read.slice(0, maxEntries - entries);
      truncated = true;
    }
    entries += read.length;
    folders++;
    const subfolders = read
      .filter((e) => e.isDirectory())
      .map((e) => ({ dir: path.join(dir, e.name), depth: depth + 1, relative: relative ? `${relative}/${e.name}` : e.name }));
    const entered = subfolders.filter((f) => !skipsFolder(f.relative, ignored));
    if (entered.length && depth >= maxDepth) truncated = true;
    else append(stack, entered.reverse());
    await visit({ dir, files: read.filter((e) => !e.isDirectory()).map((e) => e.name) });
    if (entries >= maxEntries && (stack.length || truncated)) return { folders, entries, truncated: true };
  }
  return { folders, entries, truncated };
}

/** A folder's entries in name order; none when it cannot be read (removed meanwhile, no permission). */
async function readFolder(dir: string): Promise<fs.Dirent[]> {
  try {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}
