import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** One diagnostic as Neovim holds it (vim.diagnostic.get): 0-based lines, byte columns. */
export interface NvimDiagnostic {
  code: string;
  source: string;
  severity: number;
  message: string;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  /** The text under the range, as the user sees it underlined. */
  underlined?: string;
}

export interface NvimFileResult {
  path: string;
  filetype: string;
  appeared: boolean;
  opened: NvimDiagnostic[];
  cleared?: boolean;
  edited?: NvimDiagnostic[];
  clientRunning: boolean;
}

export interface NvimPlan {
  node: string;
  server: string;
  root: string;
  timeoutMs: number;
  /** The client's `settings` table, e.g. { hooksmith: { shellcheck: { enable: false } } }. */
  settings: Record<string, unknown>;
  files: { path: string; expect: string; edit?: { line: number; text: string } }[];
}

export interface NvimOutput {
  nvim: string;
  files: NvimFileResult[];
  stopped?: boolean;
  error?: string;
}

/** Runs one of test/nvim's Lua drivers with `plan`; resolves to the JSON line it printed. */
export function runNvimDriver<T>(lua: string, plan: object, deadlineMs: number, nvim = 'nvim'): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(nvim, ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${path.resolve(__dirname, '../../../test/nvim', lua)}`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOOKSMITH_NVIM_PLAN: JSON.stringify(plan) },
    });
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
      reject(new Error(`nvim did not finish within ${deadlineMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, deadlineMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${nvim} (Debian: apt-get install neovim): ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(); // the server, should Neovim have left it behind
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`nvim exited ${code} without a JSON result; stdout: ${stdout}; stderr: ${stderr}`));
      }
    });
  });
}

/**
 * Runs test/nvim/diagnostics.lua in `nvim --headless --clean -u NONE` with `plan` and returns what it
 * printed. Neovim runs in its own process group, killed as a group if it outlives the deadline.
 */
export async function runNvimPlan(plan: NvimPlan, nvim = 'nvim'): Promise<NvimOutput> {
  const deadlineMs = plan.timeoutMs * (plan.files.length * 2 + 1) + 5_000;
  return normalise(await runNvimDriver<NvimOutput>('diagnostics.lua', plan, deadlineMs, nvim));
}

/** Lua's JSON encoder writes an empty list as {}: make every list an array. */
function normalise(out: NvimOutput): NvimOutput {
  const list = <T>(x: T[] | undefined): T[] => (Array.isArray(x) ? x : []);
  out.files = list(out.files).map((f) => ({ ...f, opened: list(f.opened), edited: f.edited === undefined ? undefined : list(f.edited) }));
  return out;
}
