import { spawn } from 'node:child_process';

export interface EditorRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an editor (headless Neovim, batch Emacs) in its own process group, and kills the group when
 * it ends or outlives `timeoutMs`: the language server it started goes with it.
 */
export function runEditor(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number; missing: string },
): Promise<EditorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`${command} did not finish within ${options.timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr.slice(-2000)}`));
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command} (${options.missing}): ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(); // the server, should the editor have left it behind
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last line an editor's driver printed, parsed as JSON. */
export function lastJsonLine<T>(run: EditorRun, command: string): T {
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as T;
  } catch {
    throw new Error(`${command} exited ${run.code} without a JSON result; stdout: ${run.stdout}; stderr: ${run.stderr.slice(-2000)}`);
  }
}
