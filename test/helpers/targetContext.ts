import * as fs from 'node:fs';
import * as path from 'node:path';
import { TargetContext } from '../../server/src/families/family';
import { recognizeHook } from '../../server/src/families/registry';
import { listFolder } from '../../server/src/fileKinds';

/** Every file under `dir`, depth first. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A one-folder workspace on disk as the commands and tasks see it: its files found by a walk, recognised as the server does. */
export function folderTargetContext(root: string): TargetContext {
  return {
    roots: [root],
    relative: (f) => path.relative(root, f),
    resolve: (p) => (typeof p === 'string' && p ? path.resolve(root, p) : undefined),
    isProfile: async () => false,
    recognize: async (f) => recognizeHook(f, listFolder(path.dirname(f))),
    findFiles: async (accept, max) => {
      const found: string[] = [];
      for (const f of filesUnder(root)) if (found.length < max && (await accept(path.basename(f), f))) found.push(f);
      return found;
    },
  };
}
