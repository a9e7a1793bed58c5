import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScriptFolders } from './scripts';
import { isFile } from '../fileKinds';

/**
 * The default script folders of a profile: its own folder and a script/ or scripts/ folder
 * beside it, then the configured extra folders (relative ones resolved against `base`).
 * Only existence is checked: nothing is read or run, so this is safe in untrusted workspaces.
 */
export function scriptFoldersFor(profilePath: string, extra: readonly string[] = [], base?: string): ScriptFolders {
  const dir = path.dirname(profilePath);
  const folders = [dir, path.join(dir, 'script'), path.join(dir, 'scripts')];
  for (const folder of extra) folders.push(path.resolve(base ?? dir, folder));
  const unique = [...new Set(folders)];
  return {
    folders: unique,
    find: (name) => unique.find((folder) => isFile(path.join(folder, name))),
  };
}

/** The file names in the script folders, first folder first, each once: for completion. Only lists, never reads. */
export function scriptFileNames(folders: readonly string[]): string[] {
  const names = new Set<string>();
  for (const folder of folders) {
    try {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) if (entry.isFile()) names.add(entry.name);
    } catch {
      // a default folder (script/, scripts/) that does not exist
    }
  }
  return [...names];
}
