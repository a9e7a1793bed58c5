import { capFindings } from '../capFindings';
import { Finding, Severity } from '../diagnostics';
import { FamilyMappings } from '../families/registry';
import { readRegularFileSync, ReadResult, refusal } from '../files/readFile';
import { hookFileOnDisk, lintHook } from '../hooks/lintHook';
import { lintProfile, tooLarge } from '../profile/lint';
import { scriptFoldersFor } from '../profile/scriptFolders';
import { Dialect } from '../profile/validate';
import { LineIndex } from '../text/lineIndex';
import { Kind } from './collect';
import { mostSevere } from './report';

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
 * Lints a profile or a hook (the shell parser must be loaded for hooks). The file is read once,
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

function lintRead(file: string, kind: Kind, read: ReadResult, maxSize: number, options: LintFilesOptions): { text: string; findings: Finding[] } {
  switch (read.kind) {
    case 'read':
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

function lintHookFile(file: string, text: string, options: LintFilesOptions): { text: string; findings: Finding[] } {
  return { text, findings: lintHook(hookFileOnDisk(file, text), options.families)?.findings ?? [] };
}

function lintWhole(file: string, text: string, maxSize: number, options: LintFilesOptions): { text: string; findings: Finding[] } {
  const scriptFolders = scriptFoldersFor(file, options.scriptFolders, process.cwd());
  return { text, findings: lintProfile(text, { dialect: options.dialect, maxSize, scriptFolders }) };
}

/**
 * UTF-8 (with or without BOM) or UTF-16 (with a BOM, or without one when it starts as XML does); the BOM is dropped so columns match
 * editors.
 */
export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (looksUtf16(bytes, 0)) return new TextDecoder('utf-16le').decode(bytes);
  if (looksUtf16(bytes, 1)) return new TextDecoder('utf-16be').decode(bytes);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const xmlStarts = new Set([0x3c, 0x20, 0x0a, 0x0d, 0x09]);

/**
 * '<' or white space, then one more character, each in two bytes whose other byte is NUL: how
 * UTF-16 XML without a byte-order mark starts. `low` is where the ASCII byte sits: 0 for
 * little-endian, 1 for big-endian (both are detected the same way).
 */
function looksUtf16(bytes: Buffer, low: 0 | 1): boolean {
  const high = 1 - low;
  return bytes.length >= 4 && bytes[high] === 0 && bytes[high + 2] === 0 && xmlStarts.has(bytes[low]) && bytes[low + 2] !== 0;
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
