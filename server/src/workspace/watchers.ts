import { configCandidates } from '../config/configDocs';
import { families, FamilyMappings } from '../families/registry';
import { withoutTrailingSlashes } from '../text/runs';

/** The family globs, their config documents' and launchers' (they wire hooks), and each folder or glob the user mapped to a family. */
export function watcherGlobs(mappings: readonly FamilyMappings[]): string[] {
  const globs = new Set([...families.flatMap((f) => f.files.candidates), ...configCandidates()]);
  for (const pattern of mappings.flatMap((m) => Object.keys(m))) {
    const glob = withoutTrailingSlashes(pattern.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (!glob) continue;
    const anywhere = glob.startsWith('/') || glob.startsWith('**/') || /^[A-Za-z]:\//.test(glob) ? glob : `**/${glob}`;
    globs.add(anywhere);
    if (!anywhere.endsWith('**')) globs.add(`${anywhere}/**`);
  }
  return [...globs];
}
