// Helpers for the ShellCheck tests: real processes, waits on events with deadlines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FamilyMappings, recognizeHook } from '../../../server/src/families/registry';
import { checkHook, CheckResult } from '../../../server/src/shellcheck/check';

export { groupMembers, survivorsOf } from '../../helpers/processGroups';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-shellcheck-'));
}

/** Resolves when `file` exists: on a change event of its folder, with a deadline. */
export function waitForFile(file: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(path.dirname(file), () => check());
    const timer = setTimeout(() => finish(new Error(`${file} did not appear within ${timeoutMs} ms`)), timeoutMs);
    function finish(error?: Error): void {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    }
    function check(): void {
      if (fs.existsSync(file)) finish();
    }
    check();
  });
}

/**
 * An executable standing in for ShellCheck: on input containing SLOW it starts a grandchild
 * (sleep 60, its pid written to `dir`/sleeper.pid) and waits for it; otherwise it runs the
 * real shellcheck. A run it hangs can only end by a kill of its whole process group.
 */
export function slowShellcheck(dir: string): { executable: string; sleeperPid: string } {
  const executable = path.join(dir, 'slow-shellcheck');
  const sleeperPid = path.join(dir, 'sleeper.pid');
  const script = [
    '#!/bin/sh',
    'input=$(cat)',
    'case $input in',
    '  *SLOW*)',
    '    sleep 60 &',
    `    echo $! > '${sleeperPid}.tmp' && mv '${sleeperPid}.tmp' '${sleeperPid}'`,
    '    wait',
    '    ;;',
    'esac',
    `printf '%s\\n' "$input" | shellcheck "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(executable, script, { mode: 0o755 });
  return { executable, sleeperPid };
}

/** A document of a hook at `file` (its name and folder decide the family). */
export function hookDocument(file: string, text: string, version = 1): TextDocument {
  return TextDocument.create(`file://${file}`, 'shellscript', version, text);
}

/** The real ShellCheck on an in-memory hook; `siblings` stand in for its folder. */
export async function shellcheckHook(
  file: string,
  text: string,
  siblings: string[] = [],
  mappings?: FamilyMappings,
): Promise<{ doc: TextDocument; result: CheckResult }> {
  const recognized = recognizeHook(file, [path.basename(file), ...siblings], mappings);
  if (!recognized) throw new Error(`${file} is not recognised as a hook`);
  const doc = hookDocument(file, text);
  return { doc, result: await checkHook(doc, file, recognized, { executable: 'shellcheck', timeoutMs: 10_000 }) };
}

/** The diagnostics of a check that must have produced some. */
export function diagnosticsOf(result: CheckResult) {
  if (result.kind !== 'diagnostics') throw new Error(`expected diagnostics, got ${JSON.stringify(result)}`);
  return result.diagnostics;
}
