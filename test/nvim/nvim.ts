import * as path from 'node:path';
import { lastJsonLine, runEditor } from '../helpers/editorProcess';
import { editorsMissing } from '../helpers/editors';

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
  /** The server's command line, as the client's `cmd`. */
  cmd: string[];
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

const driverDir = path.resolve(__dirname, '../../../test/nvim');

/**
 * Runs one of test/nvim's Lua drivers in `nvim --headless --clean -u NONE` with `plan`; resolves to
 * the JSON line it printed (`searchPath` is its PATH, where a snippet's command is looked up).
 * Neovim runs in its own process group, killed as a group if it outlives the deadline.
 */
export async function runNvimDriver<T>(
  lua: string,
  plan: object,
  timeoutMs: number,
  nvim = 'nvim',
  searchPath = process.env.PATH,
): Promise<T> {
  const env = { ...process.env, PATH: searchPath, HOOKSMITH_NVIM_PLAN: JSON.stringify(plan) };
  const run = await runEditor(nvim, ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${path.join(driverDir, lua)}`], {
    env,
    timeoutMs,
    missing: nvim === 'nvim' ? 'Debian: apt-get install neovim' : editorsMissing,
  });
  return lastJsonLine<T>(run, nvim);
}

/** Runs test/nvim/diagnostics.lua with `plan` and returns what it printed. */
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
