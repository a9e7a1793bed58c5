import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocPath } from './diagnostics';

let root: string | undefined;

/** The folder holding Hooksmith's package.json: docs/ ships beside it in the .vsix and the npm package. */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!isHooksmithRoot(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  root = dir;
  return root;
}

function isHooksmithRoot(dir: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'hooksmith';
  } catch {
    return false;
  }
}

/** A rule's documentation page, as a file URI inside the installed package. */
export function ruleDocUri(code: string): string {
  return pathToFileURL(path.join(packageRoot(), ruleDocPath(code))).toString();
}
