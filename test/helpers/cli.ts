// The CLI as a CI job runs it, for the tests under test/cli: a scratch folder (removed after the
// file's tests) to write hooks and configs into, and the built CLI run there (argument array, no
// shell, a deadline).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** The repository (the tests run from out/test/...). */
export const repoRoot = path.resolve(__dirname, '../../..');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd: string;
  /** Default 60 s. */
  readonly timeoutMs?: number;
  /** Node's own arguments, before the CLI (-r preload.js). */
  readonly nodeArgs?: readonly string[];
}

export function runCli(args: readonly string[], options: CliRunOptions): CliResult {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface CliWorkspaceOptions {
  /** Arguments before each run's own: a subcommand ('simulate', 'test'). */
  readonly command?: readonly string[];
  readonly timeoutMs?: number;
  /** The mode of a written file unless one is given; default 0o755 (hooks are executable). */
  readonly mode?: number;
}

export interface CliWorkspace {
  readonly dir: string;
  /**
   * Writes a file inside (its folders made): the text, or lines each ended by a newline. The mode
   * is set exactly (the umask would otherwise decide it). Returns the full path.
   */
  write(name: string, text: string | readonly string[], mode?: number): string;
  /** Runs the CLI in the folder. */
  run(...args: string[]): CliResult;
}

/** A scratch folder under the system's temporary one, named from `prefix`, removed after the file's tests. */
export function cliWorkspace(prefix: string, options: CliWorkspaceOptions = {}): CliWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name, text, mode = options.mode ?? 0o755) => {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, typeof text === 'string' ? text : text.join('\n') + '\n');
      fs.chmodSync(file, mode);
      return file;
    },
    run: (...args) => runCli([...(options.command ?? []), ...args], { cwd: dir, timeoutMs: options.timeoutMs }),
  };
}

/** The CLI's --json output, read; a run that printed none fails with what it said instead. */
export function jsonOf<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}
