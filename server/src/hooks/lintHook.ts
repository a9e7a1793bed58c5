import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../diagnostics';
import { HookFile, Recognized } from '../families/family';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { bomOnDisk } from './byteOrderMark';
import { readSmallTextSync } from '../files/readFile';

export interface HookLint {
  readonly recognized: Recognized;
  readonly findings: Finding[];
}

/** Lints a hook file if a family recognises it; undefined for any other file. The shell parser must be loaded. */
export function lintHook(file: HookFile, mappings?: FamilyMappings): HookLint | undefined {
  const recognized = recognizeHook(file.path, file.siblings, mappings);
  if (!recognized) return undefined;
  const findings = recognized.family.lint(file, recognized).sort((a, b) => a.start - b.start || a.end - b.end);
  return { recognized, findings };
}

/** A hook file as found on disk: its mode, its folder's names, and lazy reads of its siblings. */
export function hookFileOnDisk(file: string, text?: string): HookFile {
  const dir = path.dirname(file);
  const content = text ?? readText(file) ?? '';
  return {
    path: file,
    text: content,
    // A caller's decoded text has lost the byte-order mark the kernel still sees.
    bomOnDisk: text !== undefined && content.startsWith('#!') && bomOnDisk(file),
    mode: modeOf(file),
    siblings: listFolder(dir),
    readSibling: (name) => readText(path.join(dir, name)),
  };
}

export function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The names in a folder but its subfolders: the same set the workspace scan and the CLI's walk see. */
export function listFolder(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Hook files read from disk (not open in the editor) larger than this are not read. */
export const maxHookBytes = 2 * 1024 * 1024;

/** Text of a hook-sized regular file; undefined when missing, unreadable, implausibly large or not a regular file (a FIFO, a device). */
export function readText(file: string): string | undefined {
  return readSmallTextSync(file, maxHookBytes);
}
