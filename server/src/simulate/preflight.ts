import * as fs from 'node:fs';
import * as path from 'node:path';

import type { NotRunReason } from '../protocol';

export type { NotRunReason };

export type Preflight =
  | { readonly ok: true; /** Shell text, parsed for uninterceptable calls. */ readonly shellText?: string }
  | { readonly ok: false; readonly reason: NotRunReason; readonly message: string };

const windowsRunners: Readonly<Record<string, string>> = { '.vbs': 'cscript', '.ps1': 'powershell', '.bat': 'cmd', '.cmd': 'cmd' };
const shells = /^(sh|bash|dash|ksh|mksh|zsh|ash)$/;

/** Checks a hook the way the executor would before (and at) execl, without running it. */
export function preflight(file: string, platform: NodeJS.Platform = process.platform): Preflight {
  const runner = windowsRunners[path.extname(file).toLowerCase()];
  if (runner && platform !== 'win32') {
    return fail('windows-only', `${path.basename(file)} runs only on Windows (through ${runner}); not run on ${platform}.`);
  }
  if (!fs.existsSync(file)) return fail('missing', `${file} does not exist.`);
  if (runner) return { ok: true }; // Windows: its host runs it; there is no execute bit or #! line
  try {
    fs.accessSync(file, fs.constants.X_OK); // the seed's executor refuses on access(X_OK) too
  } catch {
    return fail('not-executable', `${path.basename(file)} is not executable: the executor refuses it (access X_OK). Fix: chmod +x ${file}`);
  }
  return checkShebang(file, readHead(file));
}

function checkShebang(file: string, head: Buffer): Preflight {
  if (head.subarray(0, 4).toString('latin1') === '\x7fELF') return { ok: true };
  const text = head.toString('utf8');
  if (!text.startsWith('#!')) {
    return fail('no-shebang', `${path.basename(file)} has no #! line: execl fails with ENOEXEC (no shell fallback). Fix: add #!/bin/sh as its first line.`);
  }
  const firstLine = text.split('\n')[0];
  if (firstLine.endsWith('\r')) {
    const interp = firstLine.slice(2).trim();
    return fail('crlf-shebang', `${path.basename(file)} has Windows (CRLF) line ends: the kernel looks for the interpreter "${interp}\\r" and fails with "bad interpreter". Fix: convert to LF (dos2unix ${path.basename(file)}).`);
  }
  const [interp, arg] = firstLine.slice(2).trim().split(/\s+/);
  if (interp.startsWith('/') && !isExecutable(interp)) {
    return fail('missing-interpreter', `The interpreter ${interp} named on the #! line of ${path.basename(file)} is not installed (or not executable).`);
  }
  const name = path.basename(interp) === 'env' ? arg : path.basename(interp);
  return shells.test(name ?? '') ? { ok: true, shellText: fs.readFileSync(file, 'utf8') } : { ok: true };
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    return buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
  } finally {
    fs.closeSync(fd);
  }
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
