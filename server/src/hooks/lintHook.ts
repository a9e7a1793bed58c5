import * as path from 'node:path';
import { Finding } from '../diagnostics';
import { HookFile, Recognized } from '../families/family';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { listFolder, maxHookBytes, modeOf, readText } from '../fileKinds';
import { bomOnDisk } from './byteOrderMark';

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

export { listFolder, maxHookBytes, modeOf, readText };
