import { capFindings } from '../capFindings';
import { Finding, Severity } from '../diagnostics';
import { FamilyMappings } from '../families/registry';
import { readRegularFileSync, ReadResult, refusal } from '../files/readFile';
import { hookFileOnDisk, lintHook } from '../hooks/lintHook';
import { lintProfileStreaming, tooLarge } from '../profile/lint';
import { scriptFoldersFor } from '../profile/scriptFolders';
import { Dialect } from '../profile/validate';
import { LineIndex } from '../text/lineIndex';
import { Kind } from './collect';
import { mostSevere } from './report';
import { decode } from '../text/decode';
import { configTypeOf, lintAndWire } from '../config/configDocs';
import { checkSpec } from '../hooktest/check';

export { decode };

/** One diagnostic as the CLI prints it: 1-based lines and columns (UTF-16 units). */
export interface Located {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly source: 'hooksmith' | 'shellcheck';
  readonly message: string;
  /** ShellCheck's wiki page for its code (Hooksmith's own codes link to docs/rules). */
  readonly url?: string;
}

export interface LintFilesOptions {
  readonly dialect: Dialect;
  readonly maxSizeMB: number;
  readonly scriptFolders: readonly string[];
  readonly families: FamilyMappings;
  /** hooks.serverPaths: where a config document's server paths are in the workspace. */
  readonly serverPaths?: Readonly<Record<string, string>>;
  /** Per file; all of them when not given. */
  readonly maxProblems?: number;
}

export interface Linted {
  /** At most maxProblems per file (then one HS113), in document order. */
  readonly diagnostics: Located[];
  /** The most severe finding's severity, counted before the cap (the exit status must not depend on it). */
  readonly worst: Severity | undefined;
}

/**
 * Lints a profile, a hook, a config document or a hook test spec (the shell parser must be loaded for hooks). The file is read once,
 * through files/readFile: a regular file only, and no more than the size limit (plus one byte);
 * `input` is what was read already (standard input). Throws an Error whose message says why a
 * file cannot be read (not a regular file, missing, no permission).
 */
export async function lintFile(file: string, kind: Kind, options: LintFilesOptions, input?: ReadResult): Promise<Linted> {
  const maxSize = options.maxSizeMB * 1024 * 1024;
  // Synchronously: the CLI has nothing else to do meanwhile, and the asynchronous reader's pool round trips cost it time.
  const read = input ?? readRegularFileSync(file, maxSize);
  const { text, findings } = lintRead(file, kind, read, maxSize, options);
  const worst = mostSevere(findings);
  if (!findings.length) return { diagnostics: [], worst }; // a clean 5 MB profile need not have its lines indexed
  const lines = new LineIndex(text);
  return { diagnostics: capFindings(findings, options.maxProblems ?? Infinity).map((f) => locate(file, f, lines)), worst };
}

function lintRead(
  file: string,
  kind: Kind,
  read: ReadResult,
  maxSize: number,
  options: LintFilesOptions,
): { text: string; findings: Finding[] } {
  switch (read.kind) {
    case 'read':
      if (kind === 'config') return lintConfigFile(file, decode(read.bytes), options);
      if (kind === 'spec') return lintSpecFile(file, decode(read.bytes));
      return kind === 'profile' ? lintWhole(file, decode(read.bytes), maxSize, options) : lintHookFile(file, decode(read.bytes), options);
    case 'too-large': {
      const head = decode(read.head);
      return { text: head, findings: [tooLarge(head, maxSize)] };
    }
    case 'not-regular':
      throw new Error(refusal(file, read.what));
    case 'missing':
      throw new Error('no such file');
    case 'error':
      throw new Error(read.reason);
  }
}

function lintSpecFile(file: string, text: string): { text: string; findings: Finding[] } {
  return { text, findings: [...checkSpec(text, file).findings] };
}

function lintHookFile(file: string, text: string, options: LintFilesOptions): { text: string; findings: Finding[] } {
  return { text, findings: lintHook(hookFileOnDisk(file, text), options.families)?.findings ?? [] };
}

function lintConfigFile(file: string, text: string, options: LintFilesOptions): { text: string; findings: Finding[] } {
  const match = configTypeOf(file, text.slice(0, 8192));
  if (!match) return { text, findings: [] };
  return { text, findings: lintAndWire(match, file, text, { roots: [process.cwd()], serverPaths: options.serverPaths ?? {} }).findings };
}

function lintWhole(file: string, text: string, maxSize: number, options: LintFilesOptions): { text: string; findings: Finding[] } {
  const scriptFolders = scriptFoldersFor(file, options.scriptFolders, process.cwd());
  return { text, findings: lintProfileStreaming(text, { dialect: options.dialect, maxSize, scriptFolders }) };
}

function locate(file: string, f: Finding, lines: LineIndex): Located {
  const start = lines.positionAt(f.start);
  const end = lines.positionAt(f.end);
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: f.severity,
    code: f.code,
    source: 'hooksmith',
    message: f.message,
  };
}
