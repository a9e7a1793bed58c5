import { FamilyMappings } from '../families/registry';

/**
 * What the client watches for the scan: every name a family may recognise. `[Oo][Nn]*` is
 * broad on purpose (case variants and near misses of OnConnect / OnDisconnect); a Shorewall
 * folder is watched whole, as any of its files can become a hook.
 */
const familyGlobs = ['**/[Oo][Nn]*', '**/shorewall*', '**/shorewall*/**'];

/** The family globs, and each folder or glob the user mapped to a family (hooks.families). */
export function watcherGlobs(mappings: readonly FamilyMappings[]): string[] {
  const globs = new Set(familyGlobs);
  for (const pattern of mappings.flatMap((m) => Object.keys(m))) {
    const glob = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!glob) continue;
    const anywhere = glob.startsWith('/') || glob.startsWith('**/') || /^[A-Za-z]:\//.test(glob) ? glob : `**/${glob}`;
    globs.add(anywhere);
    if (!anywhere.endsWith('**')) globs.add(`${anywhere}/**`);
  }
  return [...globs];
}
