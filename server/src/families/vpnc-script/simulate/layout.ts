import * as path from 'node:path';
import { isDirectory, listFolder } from '../../../fileKinds';
import { hookFoldersOf, Reason } from '../hooks';

/** A file the stock script sources for a reason, and the hook folder it is in. */
export interface SourcedFile {
  readonly folder: string;
  readonly file: string;
}

/** The files the stock script sources for `reason`: its hook folders in its order, each in glob order (sorted, dot files left out). */
export function sourcedFor(hooksDir: string, reason: Reason): SourcedFile[] {
  return hookFoldersOf(reason).flatMap((hook) => {
    const dir = path.join(hooksDir, `${hook}.d`);
    if (!isDirectory(dir)) return [];
    return listFolder(dir)
      .filter((n) => !n.startsWith('.'))
      .sort(byCodePoint)
      .map((n) => ({ folder: `${hook}.d`, file: path.join(dir, n) }));
  });
}

/** The shell's glob order in the C locale (the one the simulation gives the script). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Stands in for the stock vpnc-script when only its hook folders are simulated: its run_hooks (the
 * same variable names, so a hook that uses $script or $HOOK clashes as it would there) and its
 * dispatch, with its own work (do_connect ...) left out. Unknown reasons exit 1 as it does.
 */
export function stockDriver(hooksDir: string): string {
  const branches = (['pre-init', 'connect', 'disconnect', 'attempt-reconnect', 'reconnect'] as const)
    .map(
      (r) =>
        `\t${r})\n${hookFoldersOf(r)
          .map((h) => `\t\trun_hooks ${h}\n`)
          .join('')}\t\t;;\n`,
    )
    .join('');
  return `#!/bin/sh
# Hooksmith: the stock vpnc-script's hook folders, in its order (its own work is not simulated).
HOOKS_DIR=${quote(hooksDir)}

run_hooks() {
\tHOOK="$1"
\tif [ -d "\${HOOKS_DIR}/\${HOOK}.d" ]; then
\t\tfor script in "\${HOOKS_DIR}/\${HOOK}.d"/* ; do
\t\t\t[ -f "$script" ] && . "$script"
\t\tdone
\tfi
}

case "$reason" in
${branches}\t*)
\t\techo "unknown reason '$reason'. Maybe vpnc-script is out of date" 1>&2
\t\texit 1
\t\t;;
esac

exit 0
`;
}

/** Whether a folder holds any of the stock script's hook folders. */
export function holdsHookFolders(dir: string): boolean {
  return [
    'pre-init',
    'connect',
    'post-connect',
    'disconnect',
    'post-disconnect',
    'attempt-reconnect',
    'post-attempt-reconnect',
    'reconnect',
  ].some((h) => isDirectory(path.join(dir, `${h}.d`)));
}
