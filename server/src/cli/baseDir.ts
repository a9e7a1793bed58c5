import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder that report paths are relative to: --base-dir if given, else the top level of the git
 * repository holding `cwd` (what code scanning and GitLab resolve paths against), else `cwd`.
 */
export function reportBase(cwd: string, given?: string): string {
  if (given !== undefined) return path.resolve(cwd, given);
  const git = spawnSync('git', ['rev-parse', '--show-toplevel'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
  });
  const top = git.status === 0 ? git.stdout.trim() : '';
  return top ? path.resolve(top) : path.resolve(cwd);
}

/** `file` (as given on the command line, relative to cwd) as a forward-slash path inside `base`, or undefined when it lies outside. */
export function relativeInside(base: string, cwd: string, file: string): string | undefined {
  const full = path.resolve(cwd, file);
  // git prints the top level with links resolved; compare folders the same way, but keep the
  // file's own name (a hook that is a link stays where the repository has it).
  const relative = path.relative(real(base), path.join(real(path.dirname(full)), path.basename(full)));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

function real(folder: string): string {
  try {
    return fs.realpathSync.native(folder);
  } catch {
    return folder;
  }
}
