import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The ShellCheck an untrusted workspace may run: `shellcheck` from a PATH folder that is
 * absolute and outside every workspace folder (so neither `.`, an empty entry, a relative one,
 * nor the repository's own bin/ can put a program there), and whose real path is outside them
 * too. The setting's path is not used there at all (a relative `./shellcheck` would resolve
 * against the hook's folder). Undefined when there is none.
 */
export function untrustedShellcheck(pathEnv: string | undefined, workspaceFolders: readonly string[]): string | undefined {
  const folders = workspaceFolders.flatMap((w) => [path.resolve(w), realOr(w)]);
  const inWorkspace = (p: string): boolean => folders.some((w) => p === w || p.startsWith(w.endsWith(path.sep) ? w : w + path.sep));
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir) || inWorkspace(path.resolve(dir)) || inWorkspace(realOr(dir))) continue;
    const candidate = path.join(dir, 'shellcheck');
    if (isExecutableFile(candidate) && !inWorkspace(realOr(candidate))) return candidate;
  }
  return undefined;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
