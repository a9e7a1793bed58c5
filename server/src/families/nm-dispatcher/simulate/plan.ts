import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Skipped } from '../../../protocol';
import { Action, folderOf, refusalLogLine, serverPathOf } from '../hooks';
import { permissionRefusal, skippedNameReason } from '../naming';
import { mergedFolder, Tree } from '../trees';

/** A script NetworkManager runs for an action: the path it execs, and whether it waits for it. */
export interface PlannedScript {
  readonly name: string;
  /** The path in dispatcher.d (or pre-up.d, pre-down.d): a no-wait script's link, not what it leads to. */
  readonly file: string;
  /** The folder it was found in: dispatcher.d, pre-up.d, pre-down.d. */
  readonly folder: string;
  /** The tree it is in: /etc's, or /usr/lib's (a name /etc does not have). */
  readonly tree: Tree;
  /** Linked from no-wait.d: started at once, not waited for (nm-dispatcher.c script_must_wait). */
  readonly noWait: boolean;
  /** No #! as its first bytes: exec fails with ENOEXEC and GLib's spawn runs it with /bin/sh. */
  readonly viaSh: boolean;
}

export interface ActionPlan {
  readonly action: Action;
  readonly folder: string;
  readonly scripts: readonly PlannedScript[];
  readonly skipped: readonly Skipped[];
}

const maxEntries = 1024;

/**
 * What NetworkManager does for an action (nm-dispatcher.c find_scripts): the folder for the
 * action, every name but the ones check_filename skips, links to /dev/null and empty or
 * non-regular files left out, check_permissions' refusals logged, the rest in strcmp order of name.
 */
export function planAction(dispatcherDir: string, action: Action, label: (a: Action, name: string) => string): ActionPlan {
  const folder = folderOf(action);
  const skipped: Skipped[] = [];
  const scripts: PlannedScript[] = [];
  const { dirs, byName, hidden } = mergedFolder(dispatcherDir, folder, maxEntries);
  if (!byName.size && !dirs.some((d) => isReadableDir(d.dir)))
    return {
      action,
      folder,
      scripts,
      skipped: [{ label: action, reason: `no ${folder} folder (${dirs[0].dir}): NetworkManager runs nothing for ${action}.` }],
    };
  for (const name of hidden) {
    const own = byName.get(name)!;
    const masked = isFileScript(path.join(own.dir, name)) ? 'runs instead' : 'masks it (a link to /dev/null)';
    skipped.push({
      label: `${label(action, name)} (/usr/lib)`,
      reason: `/usr/lib/NetworkManager/${relativeFolder(folder)}${name} is hidden by /etc's ${name}, which ${masked}.`,
    });
  }
  for (const name of [...byName.keys()].sort(byteOrder)) {
    const { tree, dir } = byName.get(name)!;
    const file = path.join(dir, name);
    const skip = (reason: string): void => void skipped.push({ label: label(action, name), reason });
    const badName = skippedNameReason(name);
    if (badName) {
      skip(`NetworkManager skips ${name}: ${badName} (backup, package or hidden file), without a log line.`);
      continue;
    }
    let link: string | undefined;
    try {
      link = fs.readlinkSync(file);
    } catch {
      link = undefined;
    }
    if (link === '/dev/null') {
      skip(`${name} is a link to /dev/null (how a packaged script is masked): NetworkManager skips it.`);
      continue;
    }
    const where = serverPathOf(folder, name, tree);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      skip(
        `NetworkManager cannot stat ${name} (${(e as NodeJS.ErrnoException).code ?? 'error'}` +
          `${link ? `: a link to ${link}` : ''}) and logs "find-scripts: Failed to stat '${where}'".`,
      );
      continue;
    }
    if (st.isDirectory()) continue; // pre-up.d, pre-down.d, no-wait.d themselves: not scripts
    if (!st.isFile() || st.size === 0) {
      skip(`${name} is ${st.isFile() ? 'empty' : 'not a regular file'}: NetworkManager skips it silently.`);
      continue;
    }
    const refused = permissionRefusal(st.uid, st.mode);
    if (refused) {
      skip(`NetworkManager refuses ${name} and logs "${refusalLogLine(where, refused)}"`);
      continue;
    }
    scripts.push({ name, file, folder, tree, noWait: linksIntoNoWait(file, link), viaSh: !startsWithShebang(file) });
  }
  return { action, folder, scripts, skipped };
}

const relativeFolder = (folder: string): string => (folder === 'dispatcher.d' ? 'dispatcher.d/' : `dispatcher.d/${folder}/`);

function isReadableDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Not a link to /dev/null: a script that runs (or is refused) in its own right. */
function isFileScript(file: string): boolean {
  try {
    return fs.readlinkSync(file) !== '/dev/null';
  } catch {
    return true;
  }
}

/** strcmp on the names, as NetworkManager sorts them (not the locale's order). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A link whose target's folder, resolved, is named no-wait.d. */
function linksIntoNoWait(file: string, link: string | undefined): boolean {
  if (link === undefined) return false;
  const target = path.isAbsolute(link) ? link : path.join(path.dirname(file), link);
  try {
    return path.basename(fs.realpathSync(path.dirname(target))) === 'no-wait.d';
  } catch {
    return false;
  }
}

function startsWithShebang(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4);
    const n = fs.readSync(fd, head, 0, 4, 0);
    // An ELF program is exec'd as itself; only a text without #! goes to /bin/sh.
    return head.subarray(0, Math.min(n, 2)).toString('latin1') === '#!' || head.subarray(0, 4).toString('latin1') === '\x7fELF';
  } catch {
    return true; // unreadable: the runner's own check reports it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
