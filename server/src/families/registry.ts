import * as path from 'node:path';
import { anyconnect } from './anyconnect';
import { globMatches } from '../globs/compiledGlob';
import { HookFamily, Recognized } from './family';
import { shorewall } from './shorewall';
import { vpncScript } from './vpnc-script';
import { ocserv } from './ocserv';
import { openvpn } from './openvpn';
import { wgQuick } from './wg-quick';
import { nmDispatcher } from './nm-dispatcher';
import { wiring } from '../config/wiring';
import { withoutTrailingSlashes } from '../text/runs';

/** Every hook family. A new family is one folder and one line here. */
export const families: readonly HookFamily[] = [anyconnect, shorewall, vpncScript, ocserv, openvpn, wgQuick, nmDispatcher];

/** `hooksmith.hooks.families`: glob (or folder) → family id, for hooks kept elsewhere. */
export type FamilyMappings = Readonly<Record<string, string>>;

/** The family and hook a file is, by its name and folder, and the mappings the user set. */
export function recognizeHook(file: string, siblings: readonly string[], mappings: FamilyMappings = {}): Recognized | undefined {
  const wired = wiring.wiredTo(file);
  if (wired?.length) {
    const family = wired[0].family;
    return family.recognizeWired?.(file, wired) ?? { family, hook: wired[0].hook, wiredBy: wired };
  }
  const forced = mappedFamily(file, mappings);
  if (forced) return forced.recognize(file, siblings, true);
  for (const family of families) {
    const recognized = family.recognize(file, siblings, false);
    if (recognized) return recognized;
  }
  return undefined;
}

function mappedFamily(file: string, mappings: FamilyMappings): HookFamily | undefined {
  const abs = path.resolve(file).split(path.sep).join('/');
  for (const [pattern, id] of Object.entries(mappings)) {
    const glob = pattern.split(path.sep).join('/');
    const hit =
      globMatches(glob, abs) ||
      globMatches(withoutTrailingSlashes(glob), path.dirname(abs)) ||
      globMatches(`**/${glob.replace(/^\/+/, '')}`, abs);
    if (hit) return families.find((f) => f.id === id);
  }
  return undefined;
}
