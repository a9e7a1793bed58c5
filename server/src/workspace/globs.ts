import * as path from 'node:path';
import { minimatch } from 'minimatch';

/** Whether a file matches one of the globs, written absolute, from anywhere (`**\/x`) or relative to a workspace folder. */
export function matchesAny(file: string, globs: readonly string[], roots: readonly string[]): boolean {
  if (!globs.length) return false;
  const abs = path.resolve(file).split(path.sep).join('/');
  const relatives = roots
    .filter((r) => abs.startsWith(`${r.split(path.sep).join('/')}/`))
    .map((r) => path.relative(r, file).split(path.sep).join('/'));
  return globs.some((g) => [abs, ...relatives].some((p) => minimatch(p, g.replace(/\\/g, '/'), { dot: true })));
}
