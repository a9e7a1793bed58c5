import { Finding, finding, RuleCode, withFix } from '../../diagnostics';
import { HookFile } from '../family';

/** File-level findings sit on the first line of the file. */
export function onFirstLine(file: HookFile, code: RuleCode, message: string): Finding {
  const m = /\r|\n/.exec(file.text);
  return finding(code, 0, m ? m.index : file.text.length, message);
}

export function isPosix(): boolean {
  return process.platform !== 'win32';
}

/** Group- or world-writable hooks that run as root let other users run code as root. */
export function writableByOthers(file: HookFile, runsAs: string): Finding | undefined {
  if (file.mode === undefined || !isPosix() || (file.mode & 0o022) === 0) return undefined;
  const who = [file.mode & 0o020 ? 'its group' : '', file.mode & 0o002 ? 'others' : ''].filter(Boolean).join(' and ');
  const mode = (file.mode & 0o777).toString(8).padStart(3, '0');
  const f = onFirstLine(
    file,
    'HS430',
    `This hook runs as ${runsAs} and ${who} may write it (mode ${mode}): anyone who can edit it gets ${runsAs}'s rights. Run chmod go-w.`,
  );
  return withFix(f, { kind: 'chmod-go-w' });
}

/** A UTF-8 byte-order mark before `#!`: the kernel sees EF BB BF, not `#!`, and refuses to execute the file. */
export function bomBeforeShebang(file: HookFile): boolean {
  return file.text.startsWith('\uFEFF#!') || (file.bomOnDisk === true && file.text.startsWith('#!'));
}

export function hasCrlf(text: string): boolean {
  return text.includes('\r\n');
}

export function shebang(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const end = text.search(/\r?\n|$/);
  return text.slice(2, end).trim();
}

/** The interpreter named by a shebang: `/usr/bin/env bash` and `/bin/bash -e` are both `bash`. */
export function interpreter(line: string): string {
  const words = line.split(/\s+/);
  const first = words[0].split('/').pop() ?? '';
  return first === 'env' ? (words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '') : first;
}

export const shellInterpreters = new Set(['sh', 'bash', 'dash', 'ksh', 'zsh', 'ash', 'busybox']);

/** The #! line of a file whose text another script's shell runs (pasted or sourced): there it is only a comment. */
export function shebangAsComment(file: HookFile, code: RuleCode, message: string): Finding[] {
  return file.text.startsWith('#!') ? [onFirstLine(file, code, message)] : [];
}
