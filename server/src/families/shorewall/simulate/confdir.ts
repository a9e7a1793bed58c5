import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileSync, refusal } from '../../../files/readFile';
import { SimulationError } from '../../../simulate/simulationHooks';

/** Larger hooks are not simulated (a generated script pasted from them would be absurd anyway). */
export const maxHookBytes = 1024 * 1024;

export type HookRead =
  | { readonly ok: true; readonly file: string; readonly bytes: Buffer }
  | { readonly ok: false; readonly file: string; readonly reason: string };

/** The absolute confdir, or an Error whose message the CLI can print as it is. */
export function checkConfdir(confdir: string): string {
  const dir = path.resolve(confdir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SimulationError(
      code === 'ENOENT'
        ? `Shorewall configuration folder ${dir} does not exist.`
        : `Shorewall configuration folder ${dir} cannot be read (${code}).`,
    );
  }
  if (!stat.isDirectory())
    throw new SimulationError(`${dir} is not a folder: --confdir names the folder holding the hooks (/etc/shorewall on a firewall).`);
  return dir;
}

/** A real shorewall.conf is a few tens of kilobytes. */
const maxConfBytes = 4 * 1024 * 1024;

/**
 * A hook's bytes; undefined when there is no such file (Shorewall then runs nothing for it). Links are followed; the target must be a
 * regular file.
 */
export function readHook(confdir: string, name: string): HookRead | undefined {
  const file = path.join(confdir, name);
  const read = readRegularFileSync(file, maxHookBytes);
  switch (read.kind) {
    case 'read':
      return { ok: true, file, bytes: read.bytes };
    case 'missing':
      return undefined; // absent, or a dangling link: Shorewall's -f test is false too
    case 'not-regular':
      return { ok: false, file, reason: `${name} is ${read.what}, not a regular file: not simulated (Shorewall ignores it too).` };
    case 'too-large':
      return { ok: false, file, reason: `${name} is over the ${maxHookBytes} bytes a simulation reads: not simulated.` };
    case 'error':
      return { ok: false, file, reason: `${name} cannot be read (${read.reason}): not simulated.` };
  }
}

/** The names among `names` that exist in the folder (any file type). */
export function present(confdir: string, names: readonly string[]): string[] {
  return names.filter((n) => {
    try {
      fs.statSync(path.join(confdir, n));
      return true;
    } catch {
      return false;
    }
  });
}

export interface ConfSettings {
  /** CLEAR_TC: tcclear runs only when it is Yes (the default). */
  readonly clearTc: boolean;
  /** SHOREWALL_SHELL: the shell that runs the generated script (default /bin/sh). */
  readonly shell: string | undefined;
}

/** The two shorewall.conf settings that change how hooks run; the last assignment wins, as in sh. */
export function readShorewallConf(confdir: string): ConfSettings {
  const file = path.join(confdir, 'shorewall.conf');
  const read = readRegularFileSync(file, maxConfBytes);
  if (read.kind === 'not-regular') throw new SimulationError(refusal(file, read.what));
  if (read.kind === 'too-large')
    throw new SimulationError(`${file} is larger than ${maxConfBytes / 1024 / 1024} MB: not read, not simulated.`);
  const text = read.kind === 'read' ? read.bytes.toString('utf8') : ''; // no shorewall.conf: the defaults
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(CLEAR_TC|SHOREWALL_SHELL)=(.*?)\s*(#.*)?$/.exec(line);
    if (m) values.set(m[1], m[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const clearTc = values.get('CLEAR_TC');
  return { clearTc: !clearTc || /^yes$/i.test(clearTc), shell: values.get('SHOREWALL_SHELL') || undefined };
}
