import * as fs from 'node:fs';
import { isPosix } from '../families/common/fileChecks';
import { onRegularFileInPlace } from '../files/inPlace';

export type ModeChange = { readonly changed: boolean; readonly mode: string } | { readonly changed: false; readonly reason: string };

/** Execute wherever read is allowed (chmod +x under the file's own policy): 644 → 755, 640 → 750, 600 → 700. */
export function withExecute(mode: number): number {
  return mode | ((mode & 0o444) >> 2);
}

/**
 * Changes the mode of one regular file (the execute bits, the write bits). The file is opened without following a
 * symbolic link (O_NOFOLLOW), without creating it, and without blocking on a FIFO;
 * the mode is changed on that descriptor, so nothing else can be swapped in between.
 */
export function makeExecutable(file: string): ModeChange {
  return changeMode(file, withExecute);
}

/** chmod go-w: neither the group nor others may write the file. */
export function removeGroupWrite(file: string): ModeChange {
  return changeMode(file, (mode) => mode & ~0o022);
}

function changeMode(file: string, change: (mode: number) => number): ModeChange {
  if (!isPosix()) return { changed: false, reason: 'File modes are not used on Windows.' };
  return onRegularFileInPlace(file, 'read', 'change the mode of', (fd, stat) => {
    const mode = stat.mode & 0o7777;
    const next = change(mode);
    if (next !== mode) fs.fchmodSync(fd, next);
    return { changed: next !== mode, mode: next.toString(8).padStart(4, '0') };
  });
}
