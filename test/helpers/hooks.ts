import * as path from 'node:path';
import { before } from 'node:test';
import { Finding } from '../../server/src/diagnostics';
import { HookFile } from '../../server/src/families/family';
import { lintHook } from '../../server/src/hooks/lintHook';
import { loadShellParser } from '../../server/src/shell/parser';
import { marked } from './marked';

/** Loads the shell parser before the tests of the file that calls it. */
export function needsShellParser(): void {
  before(async () => {
    await loadShellParser();
  });
}

export interface InMemoryHook {
  /** Full path; only its name and folder name matter to the rules. */
  readonly path: string;
  /** Text with «...» marking the expected range (see marked.ts). */
  readonly source: string;
  readonly mode?: number;
  /** Other files of the folder, by name, with their text. */
  readonly folder?: Readonly<Record<string, string>>;
}

/** A hook file that exists only in memory: no disk, so every test states its mode and folder. */
export function hookFile(hook: InMemoryHook): HookFile {
  const folder = hook.folder ?? {};
  return {
    path: hook.path,
    text: marked(hook.source).text,
    mode: hook.mode ?? 0o755,
    siblings: [path.basename(hook.path), ...Object.keys(folder)],
    readSibling: (name) => folder[name],
  };
}

/** The findings of a hook, or a failure if no family recognises it. */
export function lintInMemory(hook: InMemoryHook): Finding[] {
  const result = lintHook(hookFile(hook));
  if (!result) throw new Error(`${hook.path} is not recognised as a hook`);
  return result.findings;
}
