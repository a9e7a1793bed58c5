import * as fs from 'node:fs';
import * as path from 'node:path';
import { linkNote } from '../fileKinds';
import { readRegularFileSync, readSmallTextSync, refusal, specialKind } from '../files/readFile';

import type { NotRunReason } from '../protocol';

export type { NotRunReason };

export type Preflight =
  | { readonly ok: true; /** Shell text, parsed for uninterceptable calls. */ readonly shellText?: string }
  | { readonly ok: false; readonly reason: NotRunReason; readonly message: string };

const windowsRunners: Readonly<Record<string, string>> = { '.vbs': 'cscript', '.ps1': 'powershell', '.bat': 'cmd', '.cmd': 'cmd' };
const shells = /^(sh|bash|dash|ksh|mksh|zsh|ash)$/;

/** The most of a hook's text read to look for uninterceptable calls (larger shell hooks run unanalysed). */
const maxShellText = 2 * 1024 * 1024;

/**
 * Checks a hook the way the executor would before (and at) execl, without running it. Links
 * are followed, and what they lead to must be a regular file (the same rule as lint and the
 * workspace scan): a FIFO would block the read of its first line for ever, a device never ends.
 * In a dry run, a binary is not run: no shim can stand in for what it does itself.
 */
export function preflight(file: string, platform: NodeJS.Platform = process.platform, live = false): Preflight {
  const runner = windowsRunners[path.extname(file).toLowerCase()];
  if (runner && platform !== 'win32') {
    return fail('windows-only', `${path.basename(file)} runs only on Windows (through ${runner}); not run on ${platform}.`);
  }
  if (!fs.existsSync(file)) return fail('missing', `${file} does not exist.`);
  const what = specialKind(fs.statSync(file));
  if (what) return fail('not-regular', `${refusal(path.basename(file), what)} Not run.`);
  if (runner) return { ok: true }; // Windows: its host runs it; there is no execute bit or #! line
  try {
    fs.accessSync(file, fs.constants.X_OK); // the seed's executor refuses on access(X_OK) too
  } catch {
    return fail('not-executable', `${path.basename(file)} is not executable: the executor refuses it (access X_OK). Fix: chmod +x ${file}`);
  }
  const head = readRegularFileSync(file, 512);
  if (head.kind === 'not-regular') return fail('not-regular', `${refusal(path.basename(file), head.what)} Not run.`);
  if (head.kind !== 'read' && head.kind !== 'too-large') return fail('unreadable', `${path.basename(file)} cannot be read: not run.`);
  return checkShebang(file, head.kind === 'read' ? head.bytes : head.head.subarray(0, 512), live);
}

/**
 * A script run as an argument of a shell (`/bin/sh script`, as ocserv-fw runs ocserv's scripts):
 * it must exist and be a readable regular file; its execute bit and #! line do not matter.
 */
export function preflightAsArgument(file: string): Preflight {
  if (!fs.existsSync(file)) return fail('missing', `${file} does not exist.`);
  const read = readRegularFileSync(file, maxShellText);
  if (read.kind === 'not-regular') return fail('not-regular', `${refusal(path.basename(file), read.what)} Not run.`);
  if (read.kind !== 'read') return fail('unreadable', `${path.basename(file)} cannot be read: not run.`);
  return { ok: true, shellText: read.bytes.toString('utf8') };
}

function checkShebang(file: string, head: Buffer, live: boolean): Preflight {
  if (head.subarray(0, 4).toString('latin1') === '\x7fELF') {
    return live
      ? { ok: true }
      : fail(
          'binary-in-dry-run',
          `${path.basename(file)}${linkNote(file)} is a binary (ELF) program: a dry run cannot intercept what it does, so ` +
            `it is not run. Run for real (--live) to run it.`,
        );
  }
  const text = head.toString('utf8');
  if (!text.startsWith('#!')) {
    return fail(
      'no-shebang',
      `${path.basename(file)} has no #! line: execl fails with ENOEXEC (no shell fallback). Fix: add #!/bin/sh as its first line.`,
    );
  }
  const firstLine = text.split('\n')[0];
  if (firstLine.endsWith('\r')) {
    const interp = firstLine.slice(2).trim();
    return fail(
      'crlf-shebang',
      `${path.basename(file)} has Windows (CRLF) line ends: the kernel looks for the interpreter "${interp}\\r" and ` +
        `fails with "bad interpreter". Fix: convert to LF (dos2unix ${path.basename(file)}).`,
    );
  }
  const [interp, arg] = firstLine.slice(2).trim().split(/\s+/);
  if (interp.startsWith('/') && !isExecutable(interp)) {
    return fail(
      'missing-interpreter',
      `The interpreter ${interp} named on the #! line of ${path.basename(file)} is not installed (or not executable).`,
    );
  }
  const name = path.basename(interp) === 'env' ? arg : path.basename(interp);
  return shells.test(name ?? '') ? { ok: true, shellText: readSmallTextSync(file, maxShellText) } : { ok: true };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(reason: NotRunReason, message: string): Preflight {
  return { ok: false, reason, message };
}
