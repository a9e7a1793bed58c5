/**
 * Glob patterns that come from a repository's settings (hooksmith.hooks.families,
 * hooksmith.profile.files, the CLI's --family). A pattern is compiled once and kept: minimatch
 * expands braces before it builds its regular expression, and '{a,b}' repeated 25 times is 33
 * million patterns, about 0.6 s per compile, which used to be paid on every file name checked.
 * Patterns over the caps are refused with a reason, and a refused pattern matches nothing.
 */
import { Minimatch } from 'minimatch';
import { globProblem } from './globProblem';

export { globProblem };

/** Distinct patterns kept; past it the cache starts again (settings rarely hold more than a few). */
const maxCached = 1024;
const cache = new Map<string, Minimatch | undefined>();

/** Whether `file` (forward slashes) matches `pattern`; a refused pattern matches nothing. */
export function globMatches(pattern: string, file: string): boolean {
  return compiled(pattern)?.match(file) ?? false;
}

function compiled(pattern: string): Minimatch | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  if (cache.size >= maxCached) cache.clear();
  const matcher = globProblem(pattern) === undefined ? new Minimatch(pattern, { dot: true }) : undefined;
  cache.set(pattern, matcher);
  return matcher;
}
