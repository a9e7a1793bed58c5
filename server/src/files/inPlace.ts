import * as fs from 'node:fs';

export type InPlaceRefusal = { readonly changed: false; readonly reason: string };

/**
 * Runs `work` on one regular file, opened in place for a quick fix that changes it (its mode, its
 * bytes): without following a symbolic link (O_NOFOLLOW), without creating it, and without
 * blocking on a FIFO; the work gets that descriptor, so nothing else can be swapped in between.
 * `doing` completes "Cannot … FILE" when the work throws.
 */
export function onRegularFileInPlace<T>(
  file: string,
  access: 'read' | 'write',
  doing: string,
  work: (fd: number, stat: fs.Stats) => T,
): T | InPlaceRefusal {
  const { O_RDONLY, O_RDWR, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, (access === 'write' ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    return {
      changed: false,
      reason: `Cannot open ${file}: ${(e as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a symbolic link' : (e as Error).message}.`,
    };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { changed: false, reason: `${file} is not a regular file.` };
    return work(fd, stat);
  } catch (e) {
    return { changed: false, reason: `Cannot ${doing} ${file}: ${(e as Error).message}.` };
  } finally {
    fs.closeSync(fd);
  }
}
