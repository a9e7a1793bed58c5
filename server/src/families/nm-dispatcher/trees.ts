/**
 * NetworkManager reads two dispatcher.d trees, /etc/NetworkManager/dispatcher.d and
 * /usr/lib/NetworkManager/dispatcher.d, merged by file name: the /etc one wins, and a /etc link to
 * /dev/null masks the packaged one (nm-dispatcher.c find_scripts). A workspace that mirrors the
 * file system (etc/NetworkManager/... beside usr/lib/NetworkManager/...) holds both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDirectory } from '../../fileKinds';

export type Tree = 'etc' | 'usr/lib';

const tails: Readonly<Record<Tree, string>> = {
  etc: path.join('etc', 'NetworkManager', 'dispatcher.d'),
  'usr/lib': path.join('usr', 'lib', 'NetworkManager', 'dispatcher.d'),
};

/** The tree a dispatcher.d folder mirrors (by its path), and the other tree's dispatcher.d beside it in the workspace, if any. */
export function treesOf(dispatcherDir: string): { readonly own: Tree; readonly other?: string } {
  const dir = path.resolve(dispatcherDir);
  for (const [own, other] of [
    ['etc', 'usr/lib'],
    ['usr/lib', 'etc'],
  ] as const) {
    if (!dir.endsWith(path.sep + tails[own])) continue;
    const mirror = path.join(dir.slice(0, dir.length - tails[own].length), tails[other]);
    return isDirectory(mirror) ? { own, other: mirror } : { own };
  }
  return { own: 'etc' };
}

/** The tree the folder holding `file` belongs to: usr/lib when it is under a usr/lib/NetworkManager/dispatcher.d. */
export function treeOfFile(file: string): Tree {
  const dir = path.dirname(path.resolve(file));
  const sep = path.sep;
  return (dir + sep).includes(`${sep}${tails['usr/lib']}${sep}`) ? 'usr/lib' : 'etc';
}

/** The dispatcher.d a script's folder belongs to (its own, or its parent for pre-up.d ...). */
export function dispatcherDirOfFile(file: string): string {
  const here = path.dirname(path.resolve(file));
  return path.basename(here) === 'dispatcher.d' ? here : path.dirname(here);
}

/** The same place in the other tree (usr/lib's pre-up.d for etc's ...): undefined when the workspace has no mirror of it. */
export function mirrorOf(file: string): string | undefined {
  const dispatcherDir = dispatcherDirOfFile(file);
  const { other } = treesOf(dispatcherDir);
  return other ? path.join(other, path.relative(dispatcherDir, path.resolve(file))) : undefined;
}

/** Whether `file` is a symbolic link to /dev/null (how a packaged script is masked). */
export function linksToDevNull(file: string): boolean {
  try {
    return fs.readlinkSync(file) === '/dev/null';
  } catch {
    return false;
  }
}

/** The root of a tree on a real system, for log lines. */
export const treeRoot = (tree: Tree): string =>
  tree === 'etc' ? '/etc/NetworkManager/dispatcher.d' : '/usr/lib/NetworkManager/dispatcher.d';
