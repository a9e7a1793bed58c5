/** Hooksmith's shell rules (lintHook) against `shellcheck -f json1` on the same large hook. */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { lintHook, hookFileOnDisk } from '../server/src/hooks/lintHook';
import { loadShellParser } from '../server/src/shell/parser';
import { sample } from './stats';

export interface HookLintResult {
  readonly lines: number;
  /** lintHook, each warm run's ms. */
  readonly ours: number[];
  readonly findings: number;
  /** undefined when shellcheck is not installed. */
  readonly shellcheck?: { readonly times: number[]; readonly findings: number };
}

export const shellcheckMissing = 'shellcheck not installed (apt-get install shellcheck)';

/** `runs` timed lintHook calls after two warm-ups, then shellcheck `runs` times after one. */
export async function benchHookLint(file: string, shell: 'sh' | 'bash', runs = 7): Promise<HookLintResult> {
  await loadShellParser();
  const text = readFileSync(file, 'utf8');
  const hook = hookFileOnDisk(file, text);
  const lint = (): number => {
    const result = lintHook(hook);
    if (!result) throw new Error(`${file} is not recognised as a hook`);
    return result.findings.length;
  };
  lint();
  const findings = lint();
  const ours = sample(runs, lint);
  return { lines: text.split('\n').length - 1, ours, findings, shellcheck: benchShellcheck(file, shell, Math.max(5, runs - 2)) };
}

/** Wall time of `shellcheck -f json1 --shell=SHELL file`, spawned without a shell. */
function benchShellcheck(file: string, shell: string, runs: number): HookLintResult['shellcheck'] {
  const args = ['-f', 'json1', `--shell=${shell}`, file];
  const run = (): number => {
    const r = spawnSync('shellcheck', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck failed on ${file} (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
    return (JSON.parse(r.stdout) as { comments: unknown[] }).comments.length;
  };
  if (spawnSync('shellcheck', ['--version']).error) return undefined;
  const findings = run();
  return { times: sample(runs, run), findings };
}
