import * as fs from 'node:fs';
import { readSmallTextSync } from './files/readFile';

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

/** POSIX permission bits; undefined when the file cannot be read. */
export function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The names in a folder but its subfolders: the same set the workspace scan and the CLI's walk see. */
export function listFolder(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Hook files read from disk (not open in the editor) larger than this are not read. */
export const maxHookBytes = 2 * 1024 * 1024;

/** Text of a hook-sized regular file; undefined when missing, unreadable, implausibly large or not a regular file (a FIFO, a device). */
export function readText(file: string): string | undefined {
  return readSmallTextSync(file, maxHookBytes);
}

/** The first `bytes` bytes of a file as text; empty when it cannot be read. */
export function readHead(file: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
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

/** A symbolic link to /dev/null: a file masked the way systemd and NetworkManager mask packaged ones. */
export function isLinkToDevNull(p: string): boolean {
  try {
    return fs.readlinkSync(p) === '/dev/null';
  } catch {
    return false;
  }
}
