/**
 * The calls of a hook that no shim can stand in for, followed into the files it sources: what
 * refuses a run in shims mode, and what the report lists.
 */
import * as path from 'node:path';
import { readSmallTextSync } from '../files/readFile';
import { isParseFailure, loadShellParser, parseBudget, withShellTree } from '../shell/parser';
import { lineNumbers } from '../text/lineIndex';
import { callsBypassingShims, sourcedFiles, uncheckedScript, UninterceptedCall } from './shims';

/** The calls of a shell hook's text (in folder `dir`) and of what it sources that bypass the shims. */
export async function uninterceptable(text: string, dir: string): Promise<UninterceptedCall[]> {
  const key = aheadKey(text, dir);
  const early = ahead.get(key);
  if (early) {
    ahead.delete(key);
    return early;
  }
  await loadShellParser();
  return uninterceptableNow(text, dir);
}

/** Analyses started ahead (see analyseAhead), each taken by the first uninterceptable call for the same text and folder. */
let ahead = new Map<string, Promise<UninterceptedCall[]>>();

const aheadKey = (text: string, dir: string): string => `${dir}\0${text}`;

/**
 * Starts the analysis of hooks about to run while this process waits for something else (a sandbox's start, during
 * which it is idle): each run's own call for the same text then takes the result instead of parsing after the wait.
 * Only the last call's are kept: one simulation's analyses never serve the next (a sourced file may have changed).
 */
export function analyseAhead(hooks: readonly { text: string; dir: string }[]): void {
  ahead = new Map();
  for (const { text, dir } of hooks) {
    const analysis = uninterceptable(text, dir);
    analysis.catch(() => undefined); // its run's call gets the failure
    ahead.set(aheadKey(text, dir), analysis);
  }
}

/** The same once the shell parser has loaded. */
export function uninterceptableNow(text: string, dir: string): UninterceptedCall[] {
  return withSourced(text, dir, 0);
}

const maxSourceDepth = 4;
const maxSourcedBytes = 1024 * 1024;

/** The calls of a script and of the files it sources (by a literal name, from its folder), each marked with its file. */
function withSourced(text: string, dir: string, depth: number): UninterceptedCall[] {
  let own: UninterceptedCall[];
  let sourced: { file: string; startIndex: number; text: string }[];
  try {
    ({ own, sourced } = withShellTree(
      text,
      (tree) => ({ own: callsBypassingShims(tree, text), sourced: sourcedFiles(tree) }),
      parseBudget(text),
    ));
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    return [uncheckedScript(text, e)];
  }
  const lineOf = lineNumbers(text);
  for (const s of sourced) {
    const line = lineOf(s.startIndex);
    if (/[$`]/.test(s.file)) {
      own.push({
        command: '.',
        line,
        text: s.text,
        why: `the sourced file's name (${s.file}) is computed when the hook runs: the analysis cannot read it.`,
      });
      continue;
    }
    const file = path.resolve(dir, s.file);
    const body = depth < maxSourceDepth ? readSmallTextSync(file, maxSourcedBytes) : undefined;
    if (body === undefined) {
      own.push({
        command: '.',
        line,
        text: s.text,
        why: `${s.file} is sourced but the analysis could not read it (missing, too large or too deep): its commands are unchecked.`,
      });
      continue;
    }
    for (const inner of withSourced(body, path.dirname(file), depth + 1)) {
      own.push({ ...inner, line, text: `${s.text} → ${path.basename(file)} line ${inner.line}: ${inner.text}` });
    }
  }
  return own;
}

/** A hook that is not a shell script (an ELF binary, python, a symlink to a program): nothing in it can be checked. */
export function unreadable(script: string): UninterceptedCall {
  return {
    command: '(unchecked)',
    line: 1,
    text: path.basename(script),
    why: `${path.basename(script)} is not a shell script, so the analysis cannot read it: any command it runs would bypass the shims.`,
  };
}
