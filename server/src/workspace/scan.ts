import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Finding, ruleOf } from '../diagnostics';
import { HookFile } from '../families/family';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { aFolder, readRegularFileSync } from '../files/readFile';
import { isLinkToDevNull } from '../fileKinds';
import { lintHook, maxHookBytes, modeOf, readText } from '../hooks/lintHook';
import { notRegular } from '../hooks/notRegular';
import { IgnoredFolders, readGitignore } from './ignore';
import { configTypeOnDisk, lintAndWire } from '../config/configDocs';
import { ConfigPlaces } from '../config/context';
import { decode } from '../text/decode';
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
  return (f.code >= 'HS400' && f.code < 'HS440') || ruleOf(f.code)?.fileLevel === true;
}

/**
 * The recognised hooks of one folder and their file-level findings. The shell parser must be
 * loaded. Every file, hook or not, gets its own turn of the event loop (a folder of 10,000
 * unrelated files with costly hooks.families patterns must not hold up a hover). Reads go
 * through files/readFile's bounded reader: only regular files are opened (non-blocking) and
 * read, at most maxHookBytes of them, so no read can wait or grow; it is the synchronous one,
 * as four thread-pool round trips per hook drew the scan out for seconds on a loaded machine.
 */
export async function lintFolder(folder: Folder, mappings: FamilyMappings, only?: string, configs?: ConfigScan): Promise<HookReport[]> {
  const reports: HookReport[] = [];
  // Config documents first: the scripts they name are hooks whatever their names (recognition asks the wiring).
  if (configs) {
    for (const name of folder.files) {
      if (only !== undefined && name !== only) continue;
      await nextTurn();
      const report = lintConfigOnDisk(path.join(folder.dir, name), configs);
      if (report) reports.push(report);
    }
  }
  for (const name of folder.files) {
    if (only !== undefined && name !== only) continue;
    await nextTurn();
    const file = path.join(folder.dir, name);
    if (reports.some((r) => r.file === file)) continue; // a config document
    const recognized = recognizeHook(file, folder.files, mappings);
    if (!recognized || (recognized.family.skipsLinksToDevNull && isLinkToDevNull(file))) continue; // masked: its runner skips it
    const report = lintOnDisk(file, folder, mappings, recognized.family.id);
    if (report) reports.push(report);
  }
  return reports;
}

/** What the scan needs to lint config documents: where their server paths are, and who lints the files they newly wire. */
export interface ConfigScan {
  readonly places: ConfigPlaces;
  readonly onRewired: (files: string[]) => void;
}

const maxConfigBytes = 10 * 1024 * 1024;

function lintConfigOnDisk(file: string, configs: ConfigScan): HookReport | undefined {
  const match = configTypeOnDisk(file, true);
  if (!match) return undefined;
  const read = readRegularFileSync(file, maxConfigBytes);
  if (read.kind !== 'read') return undefined;
  const text = decode(read.bytes);
  const { findings, rewired } = lintAndWire(match, file, text, configs.places);
  if (rewired.length) configs.onRewired(rewired);
  // A launcher only wires: the file is whatever else it is (a wrapper may be a hook of its own).
  return match.type.wiresOnly ? undefined : { file, text, family: match.family.id, findings: findings.filter(isFileLevel) };
}

function lintOnDisk(file: string, folder: Folder, mappings: FamilyMappings, family: string): HookReport | undefined {
  const read = readRegularFileSync(file, maxHookBytes);
  if (read.kind === 'not-regular' && read.what !== aFolder)
    return { file, family, text: '', findings: [notRegular(path.basename(file), read.what)] };
  if (read.kind !== 'read') return undefined; // gone meanwhile, unreadable, or implausibly large
  const text = read.bytes.toString('utf8');
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
  /** Config documents are linted (and wire their hooks) when given. */
  readonly configs?: ConfigScan;
}

/** Walks `root` and hands over the recognised hooks of each folder it reaches (none for most). The shell parser must be loaded. */
export async function scanHooks(
  root: string,
  onFolder: (dir: string, reports: HookReport[]) => void,
  options: ScanOptions = {},
): Promise<WalkResult> {
  const ignored = options.ignored ?? (await readGitignore(root));
  const mappings = options.mappings ?? {};
  return walkFolders(root, async (folder) => onFolder(folder.dir, await lintFolder(folder, mappings, undefined, options.configs)), {
    limits: options.limits,
    ignored,
    ignoreRoot: options.ignoreRoot,
  });
}
