import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Severity } from '../diagnostics';
import { FamilyMappings, recognizeHook } from '../families/registry';
import { readRegularFileSync, ReadResult } from '../files/readFile';
import { listFolder } from '../hooks/lintHook';
import { checkPlan } from '../shellcheck/check';
import { shellcheckPlan } from '../shellcheck/plan';
import { configShellcheckPlan } from '../config/configDocs';
import { loadShellParser } from '../shell/parser';
import { wikiUri } from '../shellcheck/diagnostics';
import { decode, Located } from './lintFiles';
import { UsageError } from './usageError';

/** `--shellcheck`: `auto` runs `shellcheck` from PATH when there is one; `off` never; anything else is the executable. */
export type ShellcheckChoice =
  { readonly mode: 'auto' } | { readonly mode: 'off' } | { readonly mode: 'path'; readonly executable: string };

export function parseShellcheckChoice(value: string): ShellcheckChoice {
  if (value === 'auto' || value === 'off') return { mode: value };
  if (value.trim() === '' || /[\0\r\n]/.test(value))
    throw new UsageError(`--shellcheck takes auto, off or the path of the ShellCheck executable, not '${value}'.`);
  return { mode: 'path', executable: value };
}

export interface ShellcheckOutcome {
  readonly diagnostics: Located[];
  /** Hooks whose check did not finish (timeout, crash): the run is incomplete, as for an unreadable path. */
  readonly failed: { path: string; reason: string }[];
  /** A note for stderr that leaves the exit status alone (auto found no ShellCheck). */
  readonly note?: string;
}

// A CI machine may be loaded: a hook-sized check that takes this long is stuck, not slow.
const timeoutMs = 120_000;

/**
 * ShellCheck on the hooks, as the editor runs it (same plan per family, same dialect and
 * exclusions, the hook's folder as working folder for .shellcheckrc), several at once.
 */
export async function shellcheckHooks(
  hooks: readonly HookToCheck[],
  choice: ShellcheckChoice,
  families: FamilyMappings,
  maxBytes: number,
): Promise<ShellcheckOutcome> {
  const files = hooks.map((h) => h.path);
  const outcome: ShellcheckOutcome = { diagnostics: [], failed: [] };
  if (choice.mode === 'off' || files.length === 0) return outcome;
  const executable = choice.mode === 'path' ? choice.executable : 'shellcheck';
  const results = await inParallel(hooks, (hook) => checkFile(hook, executable, families, maxBytes));
  if (results.some((r) => r.kind === 'missing')) {
    if (choice.mode === 'auto')
      return { ...outcome, note: 'ShellCheck is not on PATH: hooks were checked without it (install it, or pass --shellcheck off).' };
    return { ...outcome, failed: [{ path: executable, reason: 'no ShellCheck executable there' }] };
  }
  for (const [i, r] of results.entries()) {
    if (r.kind === 'located') outcome.diagnostics.push(...r.diagnostics);
    else if (r.kind === 'failed') outcome.failed.push({ path: files[i], reason: r.reason });
  }
  return outcome;
}

type FileResult =
  { kind: 'located'; diagnostics: Located[] } | { kind: 'skipped' } | { kind: 'missing' } | { kind: 'failed'; reason: string };

/**
 * A hook (or a config document whose values hold shell) that lint read: from disk again (through the bounded reader), or what standard
 * input gave.
 */
export interface HookToCheck {
  readonly path: string;
  readonly input?: ReadResult;
  readonly kind?: string;
}

async function checkFile(
  { path: file, input, kind }: HookToCheck,
  executable: string,
  families: FamilyMappings,
  maxBytes: number,
): Promise<FileResult> {
  const recognized = kind === 'config' ? undefined : recognizeHook(file, listFolder(path.dirname(file)), families);
  if (!recognized && kind !== 'config') return { kind: 'skipped' };
  const read = input ?? readRegularFileSync(file, maxBytes);
  // Lint reported a file it could not read, or one over the size limit: nothing for ShellCheck.
  if (read.kind !== 'read') return { kind: 'skipped' };
  const text = decode(read.bytes);
  const doc = TextDocument.create(pathToFileURL(path.resolve(file)).toString(), 'shellscript', 0, text);
  // A config document: the shell its values hold (wg-quick's hook lines), read with the shell parser first.
  if (!recognized) await loadShellParser();
  const plan = recognized ? shellcheckPlan(recognized, file, text) : configShellcheckPlan(file, text);
  const result = await checkPlan(doc, plan, { executable, timeoutMs, cwd: path.dirname(path.resolve(file)) });
  switch (result.kind) {
    case 'diagnostics':
      return { kind: 'located', diagnostics: result.diagnostics.map((d) => locate(file, d)) };
    case 'not-shell':
    case 'cancelled':
      return { kind: 'skipped' };
    case 'missing':
      return { kind: 'missing' };
    case 'timeout':
      return { kind: 'failed', reason: `ShellCheck ran longer than ${timeoutMs / 1000} s and was stopped` };
    case 'failed':
      return { kind: 'failed', reason: `ShellCheck failed: ${result.reason}` };
  }
}

const severities: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

function locate(file: string, d: Diagnostic): Located {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: severities[d.severity ?? DiagnosticSeverity.Warning],
    code: String(d.code),
    source: 'shellcheck',
    message: typeof d.message === 'string' ? d.message : d.message.value,
    url: d.codeDescription?.href ?? wikiUri(String(d.code)),
  };
}

/** Runs `work` on every item, as many at once as the machine has cores; results in the items' order. */
async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(items.length, Math.max(1, os.availableParallelism())) }, worker));
  return results;
}

/** Findings in the order the files were linted, each file's by position, Hooksmith's before ShellCheck's at the same place. */
export function mergeByFile(files: readonly string[], ours: readonly Located[], theirs: readonly Located[]): Located[] {
  const order = new Map(files.map((f, i) => [f, i]));
  return [...ours, ...theirs].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
}
