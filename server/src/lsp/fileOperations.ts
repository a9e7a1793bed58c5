import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFileName } from './fixData';
import { localPathOf } from './localPath';

/**
 * The file operations of the rename and create-script fixes, carried out by the server for
 * clients that cannot apply them in a WorkspaceEdit (no `workspaceEdit.documentChanges`, such as
 * Neovim 0.7). Arguments come back from the client: each is checked again here.
 */
export type FileOperation =
  { readonly changed: true; readonly uri: string; readonly message: string } | { readonly changed: false; readonly reason: string };

/** Renames a file within its folder, never over another file (a hard link then an unlink: the link fails if the name is taken). */
export function renameOnDisk(fromUri: unknown, to: unknown): FileOperation {
  const from = typeof fromUri === 'string' ? localPathOf(fromUri) : undefined;
  if (from === undefined || !isFileName(to)) return { changed: false, reason: 'Expected a file: URI and a plain file name.' };
  const target = path.join(path.dirname(from), to);
  try {
    if (sameFile(from, target))
      fs.renameSync(from, target); // a case-only rename on a case-insensitive disk
    else {
      fs.linkSync(from, target);
      fs.unlinkSync(from);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      changed: false,
      reason:
        code === 'EEXIST' ? `${to} exists already; nothing was renamed.` : `Cannot rename ${path.basename(from)}: ${(e as Error).message}.`,
    };
  }
  return { changed: true, uri: pathToFileURL(target).toString(), message: `Renamed ${path.basename(from)} to ${to}.` };
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [fs.lstatSync(a), fs.lstatSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}
