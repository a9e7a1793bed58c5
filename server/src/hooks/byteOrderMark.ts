import * as fs from 'node:fs';
import { onRegularFileInPlace } from '../files/inPlace';

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the file on disk starts with a UTF-8 byte-order mark (editors strip it from the text they send). */
export function bomOnDisk(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(3);
    return fs.readSync(fd, head, 0, 3, 0) === 3 && head.equals(bom);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export type BomRemoval = { readonly changed: boolean } | { readonly changed: false; readonly reason: string };

/**
 * Removes a leading UTF-8 byte-order mark from one regular file, in place: the file keeps its
 * inode and mode. Opened without following a symbolic link and without creating it.
 */
export function removeBomOnDisk(file: string): BomRemoval {
  return onRegularFileInPlace(file, 'write', 'rewrite', (fd) => {
    const head = Buffer.alloc(3);
    if (fs.readSync(fd, head, 0, 3, 0) !== 3 || !head.equals(bom)) return { changed: false };
    // The rest moves three bytes forward a chunk at a time: memory stays bounded whatever the file's size.
    const chunk = Buffer.alloc(64 * 1024);
    let at = 0;
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, at + 3)) > 0; at += n) fs.writeSync(fd, chunk, 0, n, at);
    fs.ftruncateSync(fd, at);
    return { changed: true };
  });
}
