import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Finding } from '../diagnostics';
import { HookFile } from '../families/family';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { lintHook, modeOf, readText } from '../hooks/lintHook';
import { IgnoredFolders, readGitignore } from './ignore';
import { Folder, walkFolders, WalkLimits, WalkResult } from './walk';

/** A recognised hook on disk and its file-level findings. */
export interface HookReport {
  readonly file: string;
  /** The family that recognised it. */
  readonly family: string;
  readonly text: string;
  readonly findings: Finding[];
}

/**
 * HS400–HS439 are about the file itself (its name, mode, first line, its folder's other hooks);
 * HS440 and up are about its content, which the document diagnostics show once it is opened.
 */
export function isFileLevel(f: Finding): boolean {
  return f.code >= 'HS400' && f.code < 'HS440';
}

/** Hooks linted between two yields to the event loop. */
const chunk = 64;

/** The recognised hooks of one folder and their file-level findings. The shell parser must be loaded. */
export async function lintFolder(folder: Folder, mappings: FamilyMappings, only?: string): Promise<HookReport[]> {
  const reports: HookReport[] = [];
  let linted = 0;
  for (const name of folder.files) {
    if (only !== undefined && name !== only) continue;
    const file = path.join(folder.dir, name);
    if (!recognizeHook(file, folder.files, mappings)) continue;
    const report = lintOnDisk(file, folder, mappings);
    if (report) reports.push(report);
    if (++linted % chunk === 0) await nextTurn();
  }
  return reports;
}

function lintOnDisk(file: string, folder: Folder, mappings: FamilyMappings): HookReport | undefined {
  const text = readText(file);
  if (text === undefined) return undefined; // a folder behind a link, unreadable or implausibly large
  const hook: HookFile = {
    path: file,
    text,
    mode: modeOf(file),
    siblings: folder.files,
    readSibling: (name) => readText(path.join(folder.dir, name)),
  };
  const linted = lintHook(hook, mappings);
  return linted && { file, text, family: linted.recognized.family.id, findings: linted.findings.filter(isFileLevel) };
}

export interface ScanOptions {
  readonly mappings?: FamilyMappings;
  readonly limits?: WalkLimits;
  /** Folders to skip besides the usual ones; read from the root's .gitignore when not given. */
  readonly ignored?: IgnoredFolders;
  /** The folder `ignored` is relative to, when `root` is below it. */
  readonly ignoreRoot?: string;
}

/** Walks `root` and hands over the recognised hooks of each folder it reaches (none for most). The shell parser must be loaded. */
export async function scanHooks(root: string, onFolder: (dir: string, reports: HookReport[]) => void, options: ScanOptions = {}): Promise<WalkResult> {
  const ignored = options.ignored ?? (await readGitignore(root));
  const mappings = options.mappings ?? {};
  return walkFolders(root, async (folder) => onFolder(folder.dir, await lintFolder(folder, mappings)), { limits: options.limits, ignored, ignoreRoot: options.ignoreRoot });
}
