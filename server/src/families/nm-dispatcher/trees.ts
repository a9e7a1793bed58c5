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

/** One name of a folder as NetworkManager lists it: the folder (of either tree) it is in, and that tree. */
export interface MergedEntry {
  readonly tree: Tree;
  readonly dir: string;
}

const otherTree = (t: Tree): Tree => (t === 'etc' ? 'usr/lib' : 'etc');

/**
 * A folder of the dispatcher (`dispatcher.d` itself, `pre-up.d`, `pre-down.d`) as NetworkManager reads it (nm-dispatcher.c
 * find_scripts): both trees' copies merged by name, /etc's first, so a name there hides the same one in /usr/lib (`hidden`).
 * `dirs`: where it looked, /etc's first; at most `max` names of each.
 */
export function mergedFolder(
  dispatcherDir: string,
  folder: string,
  max: number,
): { readonly dirs: readonly MergedEntry[]; readonly byName: ReadonlyMap<string, MergedEntry>; readonly hidden: readonly string[] } {
  const trees = treesOf(dispatcherDir);
  const dirs = [{ tree: trees.own, root: dispatcherDir }, ...(trees.other ? [{ tree: otherTree(trees.own), root: trees.other }] : [])]
    .sort((a, b) => (a.tree === b.tree ? 0 : a.tree === 'etc' ? -1 : 1))
    .map((t) => ({ tree: t.tree, dir: folder === 'dispatcher.d' ? t.root : path.join(t.root, folder) }));
  const byName = new Map<string, MergedEntry>();
  const hidden: string[] = [];
  for (const d of dirs) {
    let found: string[];
    try {
      found = fs.readdirSync(d.dir).slice(0, max);
    } catch {
      continue;
    }
    for (const name of found) {
      if (byName.has(name)) hidden.push(name);
      else byName.set(name, d);
    }
  }
  return { dirs, byName, hidden };
}

/**
 * The workspace file a link of the mirrored trees leads to: a target written as a server path (/etc/NetworkManager/dispatcher.d/
 * 90-vpn, /usr/lib/...) is that place in the workspace's mirror, not on this machine; undefined when it leads nowhere.
 */
export function linkedFile(entry: string, dispatcherDir: string): string | undefined {
  let target: string | undefined;
  try {
    target = fs.readlinkSync(entry);
  } catch {
    target = undefined;
  }
  const trees = treesOf(dispatcherDir);
  for (const tree of ['etc', 'usr/lib'] as const) {
    const root = tree === trees.own ? dispatcherDir : trees.other;
    if (target?.startsWith(`${treeRoot(tree)}/`) && root) return realpathOf(path.join(root, target.slice(treeRoot(tree).length + 1)));
  }
  return realpathOf(entry);
}

/** The file a path leads to, links followed; undefined when it leads nowhere. */
export function realpathOf(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
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
