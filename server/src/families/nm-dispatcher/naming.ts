import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding, withFix } from '../../diagnostics';
import { listFolder } from '../../fileKinds';
import { isPosix, onFirstLine } from '../common/fileChecks';
import { HookFile, HookSpec } from '../family';
import { dispatcherHook, noWaitHook, preDownHook, preUpHook, refusalLogLine, serverPathOf } from './hooks';
import { dispatcherDirOfFile, linksToDevNull, mirrorOf, treeOfFile, treeRoot } from './trees';

/** Notes and docs kept beside the scripts: not scripts (a README.md in dispatcher.d is refused by mode anyway). */
const notAScript = /\.(md|txt|rst|html?|json|ya?ml|xml|patch|diff|orig|rej)$/i;

const subfolders: Readonly<Record<string, HookSpec>> = { 'pre-up.d': preUpHook, 'pre-down.d': preDownHook, 'no-wait.d': noWaitHook };

/**
 * The hook a file is by its folder: NetworkManager/dispatcher.d/<name>, or a file of its pre-up.d,
 * pre-down.d or no-wait.d; any folder when hooksmith.hooks.families maps it to this family.
 */
export function nmHookOf(file: string, forced: boolean): HookSpec | undefined {
  const name = path.basename(file);
  if (notAScript.test(name)) return undefined;
  const dir = path.dirname(path.resolve(file));
  const folder = path.basename(dir);
  const parent = path.basename(path.dirname(dir));
  if (folder === 'dispatcher.d' && (forced || parent === 'NetworkManager')) return dispatcherHook;
  const sub = Object.hasOwn(subfolders, folder) ? subfolders[folder] : undefined;
  if (sub && parent === 'dispatcher.d' && (forced || path.basename(path.dirname(path.dirname(dir))) === 'NetworkManager')) return sub;
  return forced ? (sub ?? dispatcherHook) : undefined;
}

/**
 * Why NetworkManager skips a name without a word in its log (nm-dispatcher.c check_filename): a
 * leading dot, a backup or package-manager suffix. Undefined for a name it runs.
 */
export function skippedNameReason(name: string): string | undefined {
  if (name.startsWith('.')) return 'it starts with a dot';
  for (const suffix of ['~', '.rpmsave', '.rpmorig', '.rpmnew', '.swp']) if (name.endsWith(suffix)) return `it ends in ${suffix}`;
  const dpkg = name.lastIndexOf('.dpkg-');
  if (dpkg >= 0 && !name.slice(dpkg + 1).includes('.')) return `it ends in ${name.slice(dpkg)} (a dpkg leftover)`;
  return undefined;
}

/** The name without what makes NetworkManager skip it: "10-vpn.sh~" is 10-vpn.sh, ".routes" is routes. */
export function runnableName(name: string): string {
  let n = name.replace(/^\.+/, '');
  n = n.replace(/(~|\.rpmsave|\.rpmorig|\.rpmnew|\.swp)+$/, '');
  const dpkg = n.lastIndexOf('.dpkg-');
  if (dpkg >= 0 && !n.slice(dpkg + 1).includes('.')) n = n.slice(0, dpkg);
  return n || 'script';
}

/** What NetworkManager's permission check says of a file (nm-dispatcher.c check_permissions), in its order; undefined: accepted. */
export function permissionRefusal(uid: number, mode: number): string | undefined {
  if (uid !== 0) return 'not owned by root.';
  if (mode & 0o4022) return 'writable by group or other, or set-UID.';
  if (!(mode & 0o100)) return 'not executable by owner.';
  return undefined;
}

function ownerOf(file: string): number | undefined {
  try {
    return fs.statSync(file).uid;
  } catch {
    return undefined;
  }
}

/** The script's folder as NetworkManager names it: dispatcher.d, pre-up.d ... */
export function folderName(hook: HookSpec): string {
  return hook.name;
}

/** The name NetworkManager skips, or else each permission it refuses (every one, though its log names only the first). */
export function fileFindings(file: HookFile, hook: HookSpec): Finding[] {
  const name = path.basename(file.path);
  const found: Finding[] = [];
  const where = serverPathOf(folderName(hook), name, treeOfFile(file.path));
  const skipped = skippedNameReason(name);
  if (skipped) {
    const to = runnableName(name);
    found.push(
      withFix(
        onFirstLine(
          file,
          'HS700',
          `NetworkManager never runs this file: ${skipped}, and its dispatcher skips such names (editor backups, package ` +
            `leftovers, hidden files) without a word in its log. Rename it to ${to} if it is meant to run.`,
        ),
        { kind: 'rename', to },
      ),
    );
  }
  // nm-dispatcher.c find_scripts skips the name before check_permissions: no refusal is logged, so none is reported.
  if (skipped || !isPosix() || file.mode === undefined) return found;
  const uid = ownerOf(file.path);
  const refused = (code: 'HS701' | 'HS702' | 'HS703' | 'HS704', what: string, why: string, fix: string): Finding =>
    onFirstLine(file, code, `${what}: NetworkManager refuses to run it (its log: "${refusalLogLine(where, why)}"). ${fix}`);
  if (uid !== undefined && uid !== 0)
    found.push(
      refused(
        'HS701',
        `This script is owned by uid ${uid}, not root`,
        'not owned by root.',
        'Run chown root: on it where it is installed.',
      ),
    );
  if (file.mode & 0o022) {
    const who = [file.mode & 0o020 ? 'its group' : '', file.mode & 0o002 ? 'others' : ''].filter(Boolean).join(' and ');
    found.push(
      withFix(
        refused(
          'HS702',
          `${who[0].toUpperCase()}${who.slice(1)} may write this script (mode ${octal(file.mode)})`,
          'writable by group or other, or set-UID.',
          'Run chmod go-w on it.',
        ),
        { kind: 'chmod-go-w' },
      ),
    );
  }
  if (file.mode & 0o4000)
    found.push(
      refused(
        'HS703',
        `This script is set-UID (mode ${octal(file.mode)})`,
        'writable by group or other, or set-UID.',
        'Run chmod u-s on it.',
      ),
    );
  if (!(file.mode & 0o100))
    found.push(
      refused(
        'HS704',
        `Its owner cannot execute this script (mode ${octal(file.mode)})`,
        'not executable by owner.',
        'Run chmod u+x on it.',
      ),
    );
  return found;
}

const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/** A no-wait.d script runs only through a link to it from the folders NetworkManager reads: without one, never. */
export function unlinkedNoWait(file: HookFile, hook: HookSpec): Finding[] {
  if (hook.name !== 'no-wait.d') return [];
  const noWait = path.dirname(path.resolve(file.path));
  const dispatcherDir = path.dirname(noWait);
  let real: string;
  try {
    real = fs.realpathSync(file.path);
  } catch {
    return [];
  }
  for (const dir of [dispatcherDir, path.join(dispatcherDir, 'pre-up.d'), path.join(dispatcherDir, 'pre-down.d')]) {
    for (const name of listFolder(dir).slice(0, 256)) {
      const entry = path.join(dir, name);
      try {
        if (fs.lstatSync(entry).isSymbolicLink() && fs.realpathSync(entry) === real) return [];
      } catch {
        // a dangling link leads nowhere
      }
    }
  }
  const name = path.basename(file.path);
  return [
    onFirstLine(
      file,
      'HS710',
      `No symbolic link in dispatcher.d, pre-up.d or pre-down.d leads to this script, and NetworkManager never reads ` +
        `no-wait.d itself: it never runs. Link it: ln -s ../no-wait.d/${name} /etc/NetworkManager/dispatcher.d/${name}.`,
    ),
  ];
}

/**
 * A script of the /usr/lib tree whose name the mirrored /etc tree also has: NetworkManager runs
 * /etc's (or nothing, when /etc's is a link to /dev/null: masked on purpose, said as information).
 */
export function hiddenByEtc(file: HookFile): Finding[] {
  if (treeOfFile(file.path) !== 'usr/lib') return [];
  const etc = mirrorOf(file.path);
  if (!etc || !existsAsEntry(etc)) return [];
  const etcDispatcher = dispatcherDirOfFile(etc);
  const shown = `${treeRoot('etc')}/${path.relative(etcDispatcher, etc)}`;
  const here = path.join('etc', 'NetworkManager', 'dispatcher.d', path.relative(etcDispatcher, etc));
  const name = path.basename(file.path);
  if (linksToDevNull(etc))
    return [
      {
        ...onFirstLine(
          file,
          'HS711',
          `${shown} (${here} here) is a link to /dev/null: it masks this packaged script, so NetworkManager never runs ${name}.`,
        ),
        severity: 'information',
      },
    ];
  return [
    onFirstLine(
      file,
      'HS711',
      `NetworkManager never runs this script: ${shown} (${here} here) has the same name, and a name in /etc hides the ` +
        `one in /usr/lib. Edit that one, or remove it (a link to /dev/null there masks this one on purpose).`,
    ),
  ];
}

function existsAsEntry(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
