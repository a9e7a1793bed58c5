import { readSmallTextSync } from '../../files/readFile';
import { isParseFailure, parseBudget, Tree, withShellTree } from '../../shell/parser';

const maxFileBytes = 256 * 1024;

/**
 * What `keysOf` finds in each of these scripts (the undos of the other hook files of a layout),
 * together; undefined when one could not be parsed, since it may then hold anything. Unreadable or
 * large files are left out.
 */
export function keysOfScripts(files: readonly string[], keysOf: (tree: Tree) => Iterable<string>): Set<string> | undefined {
  const keys = new Set<string>();
  for (const file of files) {
    const text = readSmallTextSync(file, maxFileBytes);
    if (text === undefined) continue;
    try {
      for (const k of withShellTree(text, keysOf, parseBudget(text))) keys.add(k);
    } catch (e) {
      if (isParseFailure(e)) return undefined;
      throw e;
    }
  }
  return keys;
}
