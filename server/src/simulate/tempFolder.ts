import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempFolder {
  readonly dir: string;
  dispose(): void;
}

/**
 * The janitor: one `sh` per process and temporary folder, started at the first folder. It runs in
 * that folder ($1) and reads "+NAME" (a folder was made) and "-NAME" (it was disposed) on standard
 * input, whose only writer is this process: when this process dies, however it dies (a SIGKILL of
 * the CLI, "Restart Language Server", a window reload), the janitor reads end of file and removes
 * the folders still listed. Names are checked by janitorName (no white space, no glob characters).
 */
const janitorScript = [
  'cd -- "$1" || exit 0',
  'set -f',
  "trap '' INT HUP",
  'live=""',
  'while IFS= read -r line; do',
  '  name=${line#?}',
  '  case $line in',
  '    +*) live="$live $name" ;;',
  '    -*) kept=""; for n in $live; do [ "$n" = "$name" ] || kept="$kept $n"; done; live=$kept ;;',
  '  esac',
  'done',
  'for n in $live; do rm -rf -- "$n"; done',
].join('\n');

/** The janitor of each temporary folder this process made folders in (normally one: os.tmpdir()). */
const janitors = new Map<string, ChildProcess>();

/** The names mkdtemp makes from this module's prefixes: a word the janitor's list can hold. */
const janitorName = /^[A-Za-z0-9._-]+$/;

function janitorFor(root: string): ChildProcess | undefined {
  const running = janitors.get(root);
  if (running) return running;
  if (process.platform === 'win32') return undefined;
  // Its own process group, so a Ctrl-C in a terminal (SIGINT to the foreground group) leaves it to clean up.
  const janitor = spawn('/bin/sh', ['-c', janitorScript, 'sh', root], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  janitors.set(root, janitor);
  const forget = (): void => void (janitors.get(root) === janitor && janitors.delete(root));
  janitor.on('error', forget);
  janitor.on('exit', forget);
  janitor.stdin?.on('error', forget); // it died: the next folder starts another
  // Neither the process nor its pipe keeps this process running.
  janitor.unref();
  (janitor.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return janitor;
}

function tell(janitor: ChildProcess | undefined, line: string): void {
  if (janitor?.stdin?.writable) janitor.stdin.write(`${line}\n`);
}

/**
 * A temp folder that no simulation leaves behind: removed on dispose, or, when this process dies
 * first, by this process's janitor (see janitorScript). Without a POSIX shell, dispose alone.
 */
export function ownedTempFolder(prefix: string): TempFolder {
  const root = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(root, prefix));
  const name = path.basename(dir);
  const janitor = janitorName.test(name) ? janitorFor(root) : undefined;
  tell(janitor, `+${name}`);
  let disposed = false;
  return {
    dir,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      fs.rmSync(dir, { recursive: true, force: true });
      tell(janitor, `-${name}`);
    },
  };
}
