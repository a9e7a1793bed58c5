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

/** POSIX permission bits; undefined when the file cannot be read. */
export function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Names of the files (and links) in a folder; none when it cannot be read. */
export function listFolder(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  } catch {
    return [];
  }
}

const maxHookSize = 2 * 1024 * 1024;

/** Text of a hook-sized file; undefined when missing, unreadable or implausibly large. */
export function readText(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > maxHookSize) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
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
