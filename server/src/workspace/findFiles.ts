import * as path from 'node:path';
import { readGitignore } from './ignore';
import { walkFolders } from './walk';

/** The first `max` files of the workspace folders that `accept` takes (node_modules, .git and .gitignore'd folders left out). */
export async function findFiles(
  roots: readonly string[],
  accept: (name: string, file: string) => boolean | Promise<boolean>,
  max: number,
): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    if (found.length >= max) break;
    const ignored = await readGitignore(root);
    await walkFolders(
      root,
      async (folder) => {
        for (const name of folder.files) {
          if (found.length >= max) return;
          const file = path.join(folder.dir, name);
          if (await accept(name, file)) found.push(file);
        }
      },
      { ignored },
    );
  }
  return found.sort();
}
