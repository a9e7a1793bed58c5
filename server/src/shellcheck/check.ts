import { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Recognized } from '../families/family';
import { toDiagnostics } from './diagnostics';
import { parseJson1 } from './json1';
import { shellcheckPlan, ShellcheckPlan } from './plan';
import { runInGroup } from './process';

export interface CheckOptions {
  /** `hooksmith.shellcheck.path`: a name looked up on PATH, or a path. */
  readonly executable: string;
  readonly timeoutMs: number;
  /** Where ShellCheck looks for a .shellcheckrc. */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly onSpawn?: (pid: number) => void;
}

export type CheckResult =
  | { readonly kind: 'diagnostics'; readonly diagnostics: Diagnostic[] }
  | { readonly kind: 'not-shell' }
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly reason: string };

/** ShellCheck's findings on a recognised hook, as diagnostics of `doc`. */
export async function checkHook(doc: TextDocument, file: string, recognized: Recognized, opts: CheckOptions): Promise<CheckResult> {
  return checkPlan(doc, shellcheckPlan(recognized, file, doc.getText()), opts);
}

/** ShellCheck's findings on what a plan shows it (a hook, or the shell a config's values hold), as diagnostics of `doc`. */
export async function checkPlan(doc: TextDocument, plan: ShellcheckPlan | undefined, opts: CheckOptions): Promise<CheckResult> {
  if (!plan) return { kind: 'not-shell' };
  const run = await runInGroup({
    executable: opts.executable,
    args: argsFor(plan),
    input: plan.input,
    cwd: opts.cwd,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    onSpawn: opts.onSpawn,
  });
  if (run.kind !== 'exited') return run;
  const comments = parseJson1(run.stdout);
  // Exit status 0 is clean, 1 has findings; anything else (bad options, an old version) has no json1 report.
  if (!comments || (run.code !== 0 && run.code !== 1))
    return { kind: 'failed', reason: firstLine(run.stderr) || `exit status ${run.code}` };
  return { kind: 'diagnostics', diagnostics: toDiagnostics(comments, plan, doc) };
}

export function argsFor(plan: ShellcheckPlan): string[] {
  const exclude = plan.exclude.length ? [`--exclude=${plan.exclude.join(',')}`] : [];
  return ['--format=json1', `--shell=${plan.shell}`, ...exclude, '-'];
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
