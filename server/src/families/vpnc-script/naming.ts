import * as path from 'node:path';
import { HookSpec } from '../family';
import { folderHooks, hookFolderReasons, mainScript } from './hooks';
import { namedByLauncher } from './launchers';

/** Not scripts, though named vpnc-script*: notes, patches, packaging, units. */
const notAScript = /\.(md|txt|rst|html?|json|ya?ml|xml|patch|diff|orig|rej|service|ts|js|py)$/i;

/** The hook folder a file is in, when its folder is one of the stock script's (<hook>.d, inside a folder named vpnc unless forced). */
export function hookFolderOf(file: string, forced: boolean): HookSpec | undefined {
  const dir = path.dirname(path.resolve(file));
  const folder = path.basename(dir);
  const hook = folder.endsWith('.d') ? folder.slice(0, -2) : '';
  if (!Object.hasOwn(hookFolderReasons, hook) || !(forced || path.basename(path.dirname(dir)) === 'vpnc')) return undefined;
  return folderHooks.find((h) => h.name === folder);
}

/**
 * The hook a file is: a file in a hook folder (the stock script sources it; its glob skips dot
 * files), a file named vpnc-script*, a script a launcher beside it names with --script / -s, or
 * any file the user mapped to this family.
 */
export function vpncHookOf(file: string, siblings: readonly string[], forced: boolean): HookSpec | undefined {
  const name = path.basename(file);
  if (name.startsWith('.')) return undefined;
  const inFolder = hookFolderOf(file, forced);
  if (inFolder) return inFolder;
  if (name.startsWith('vpnc-script') && !notAScript.test(name)) return mainScript;
  if (forced) return mainScript;
  return namedByLauncher(file, siblings) ? mainScript : undefined;
}
