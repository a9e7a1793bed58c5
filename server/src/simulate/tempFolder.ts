import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { which } from './sandbox/detect';

export interface TempFolder {
  readonly dir: string;
  dispose(): void;
}

// Removes "$1" when its parent (this process) dies: the parent-death signal reaches it even after a SIGKILL.
const janitorScript = 'trap \'kill "$!" 2>/dev/null; rm -rf -- "$1"; exit 0\' TERM; while :; do sleep 3600 & wait "$!"; done';

/**
 * A temp folder that no simulation leaves behind: removed on dispose, or, when this process dies
 * first (SIGKILL of the CLI, "Restart Language Server", a window reload), by a janitor process
 * that gets the parent-death signal (Linux, util-linux setpriv). Elsewhere, dispose alone.
 */
export function ownedTempFolder(prefix: string): TempFolder {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const janitor = process.platform === 'linux' && which('setpriv')
    ? spawn('setpriv', ['--pdeathsig', 'TERM', '--', 'sh', '-c', janitorScript, 'sh', dir], { stdio: 'ignore', detached: true })
    : undefined;
  janitor?.on('error', () => undefined);
  janitor?.unref();
  let disposed = false;
  return {
    dir,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      fs.rmSync(dir, { recursive: true, force: true });
      if (janitor?.pid !== undefined) {
        try {
          process.kill(-janitor.pid, 'SIGKILL'); // its own group (detached): the janitor and its sleep
        } catch {
          // gone already
        }
      }
    },
  };
}
