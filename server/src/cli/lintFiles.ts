import * as fs from 'node:fs';
import { Finding, Severity } from '../diagnostics';
import { FamilyMappings } from '../families/registry';
import { hookFileOnDisk, lintHook } from '../hooks/lintHook';
import { lintProfile, tooLarge } from '../profile/lint';
import { scriptFoldersFor } from '../profile/scriptFolders';
import { Dialect } from '../profile/validate';
import { LineIndex } from '../text/lineIndex';
import { Kind } from './collect';

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
}

/** Lints a profile or a hook (the shell parser must be loaded for hooks). */
export function lintFile(file: string, kind: Kind, options: LintFilesOptions): Located[] {
  const maxSize = options.maxSizeMB * 1024 * 1024;
  const lint = kind === 'profile' ? lintWhole : lintHookFile;
  const { text, findings } = fs.statSync(file).size > maxSize ? refuseLarge(file, maxSize) : lint(file, maxSize, options);
  if (!findings.length) return []; // a clean 5 MB profile need not have its lines indexed
  const lines = new LineIndex(text);
  return findings.map((f) => locate(file, f, lines));
}

function lintHookFile(file: string, _maxSize: number, options: LintFilesOptions): { text: string; findings: Finding[] } {
  const text = decode(fs.readFileSync(file));
  return { text, findings: lintHook(hookFileOnDisk(file, text), options.families)?.findings ?? [] };
}

function lintWhole(file: string, maxSize: number, options: LintFilesOptions): { text: string; findings: Finding[] } {
  const text = decode(fs.readFileSync(file));
  const scriptFolders = scriptFoldersFor(file, options.scriptFolders, process.cwd());
  return { text, findings: lintProfile(text, { dialect: options.dialect, maxSize, scriptFolders }) };
}

/** Reads only the head of a file that is over the limit, to place the one finding on its first line. */
function refuseLarge(file: string, maxSize: number): { text: string; findings: Finding[] } {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const text = decode(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)));
    return { text, findings: [tooLarge(text, maxSize)] };
  } finally {
    fs.closeSync(fd);
  }
}

/** UTF-8 (with or without BOM) or UTF-16 with a BOM; the BOM is dropped so columns match editors. */
export function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (looksUtf16le(bytes)) return new TextDecoder('utf-16le').decode(bytes);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** '<' or whitespace followed by NUL, as UTF-16LE XML without a byte-order mark starts. */
function looksUtf16le(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && (bytes[0] === 0x3c || bytes[0] === 0x20 || bytes[0] === 0x0a || bytes[0] === 0x0d || bytes[0] === 0x09);
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
