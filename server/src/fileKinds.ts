import * as fs from 'node:fs';

/** A regular file (after symlinks); false for anything missing or unreadable. */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A folder (after symlinks); false for anything missing or unreadable. */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** " (a link to /real/path)" for a symbolic link, so a report says what really runs; "" for anything else. */
export function linkNote(p: string): string {
  try {
    return fs.lstatSync(p).isSymbolicLink() ? ` (a link to ${fs.realpathSync(p)})` : '';
  } catch {
    return '';
  }
}

/** Anything at this path, a dangling symlink included. */
export function pathExists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
