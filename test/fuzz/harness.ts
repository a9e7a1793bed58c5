/**
 * The fuzz runner shared by the short runs in `npm test` and the long `npm run fuzz`: it runs a
 * target's arbitrary through fast-check with a given seed and number of cases, checks the
 * invariants every target shares (no exception escapes, deterministic output, under 1 s per
 * input) plus the target's own, times every input, and on a failure reports the smallest failing
 * input it finds: fast-check's shrunk counterexample, or what the target's reducer makes of it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Finding, ruleDocPath } from '../../server/src/diagnostics';
import { packageRoot } from '../../server/src/ruleDocs';
import { startWatchdog, Watchdog } from './watchdog';

/** The promise for every input under the size limit, in CPU time (see attempt). */
export const inputBudgetMs = 1000;

/** Wall clock after which one case that has not returned ends the run as a failure (see watchdog.ts). */
export const caseDeadlineMs = 20_000;

export interface FuzzTarget<I> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<I>;
  /** Runs once before the cases (loads the shell parser). */
  setup?(): Promise<void>;
  /** The code under test; what it returns is compared across two runs. */
  run(input: I): unknown;
  /** The target's invariants on one output: what is wrong, or nothing. */
  check(input: I, output: unknown): string[];
  /**
   * Outputs cut short by the shell parser's work budget (counted, not timed: the same input is
   * cut on every run), reported as a count.
   */
  cutShort?(output: unknown): boolean;
  /** A smaller input that still fails `fails`, where the target can find one (text reduction). */
  reduce?(input: I, fails: (candidate: I) => Promise<boolean>): Promise<I>;
  /** The input as a regression test would write it. */
  show(input: I): string;
}

export interface FuzzOptions {
  readonly numRuns: number;
  readonly seed: number;
  /** Hears how many cases have run, every 10,000 (the long run prints it). */
  readonly progress?: (cases: number) => void;
  /** Default caseDeadlineMs. */
  readonly caseDeadlineMs?: number;
}

export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  /** Cases generated and checked (fewer than asked when one failed). */
  readonly cases: number;
  readonly maxMs: number;
  readonly p99Ms: number;
  /** The slowest input, as `show` writes it (cut to 300 characters). */
  readonly slowest: string;
  /** Inputs whose output was cut short by a time budget (see FuzzTarget.cutShort). */
  readonly cutShort: number;
  /** `input` is the smallest failing input found; `original` the one the run met first. */
  readonly failure?: { readonly problems: string; readonly input: string; readonly original: string };
}

/** Runs one target; never throws for a failing case (the report says it). */
export async function fuzz<I>(target: FuzzTarget<I>, options: FuzzOptions): Promise<FuzzReport> {
  await target.setup?.();
  const watchdog = startWatchdog(target.name, options.seed, options.caseDeadlineMs ?? caseDeadlineMs);
  try {
    return await fuzzWatched(target, options, watchdog);
  } finally {
    await watchdog.stop();
  }
}

async function fuzzWatched<I>(target: FuzzTarget<I>, options: FuzzOptions, watchdog: Watchdog): Promise<FuzzReport> {
  const times: number[] = [];
  let shrinking = false;
  let slowest = { ms: -1, input: '' };
  let cutShort = 0;
  const timed =
    (input: I) =>
    (ms: number): void => {
      if (shrinking) return;
      times.push(ms);
      if (times.length % 10_000 === 0) options.progress?.(times.length);
      if (ms > slowest.ms) slowest = { ms, input: target.show(input).slice(0, 300) };
    };
  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    const problems = await examine(target, watchdog, input, timed(input), () => void (shrinking || cutShort++));
    if (problems.length) {
      shrinking = true;
      throw new Error(problems.join('\n'));
    }
  });
  // Targets with a reducer skip fast-check's shrinking: on slow inputs it can take half an hour, the reducer has a time limit.
  const details = await fc.check(property, { numRuns: options.numRuns, seed: options.seed, endOnFailure: target.reduce !== undefined });
  const sorted = times.slice().sort((a, b) => a - b);
  const report = {
    target: target.name,
    seed: details.seed,
    cases: times.length,
    maxMs: sorted[sorted.length - 1] ?? 0,
    p99Ms: percentile(sorted, 0.99),
    slowest: slowest.input,
    cutShort,
  };
  if (!details.failed || details.counterexample === null) return report;
  const original = details.counterexample[0];
  const minimal = await reduced(target, watchdog, original);
  const again = (await examine(target, watchdog, minimal, () => undefined)).join('\n');
  const problems = again || `${errorText(details.errorInstance)}\n(this input did not fail again when run once more)`;
  return { ...report, failure: { problems, input: target.show(minimal), original: target.show(original) } };
}

/** Every invariant broken by one input; `timed` gets the duration of the first run, `cut` hears of an output cut short. */
async function examine<I>(
  target: FuzzTarget<I>,
  watchdog: Watchdog,
  input: I,
  timed: (ms: number) => void,
  cut: () => void = () => undefined,
): Promise<string[]> {
  const first = await attempt(target, watchdog, input);
  timed(first.ms);
  if ('error' in first) return [`threw: ${first.error}`];
  const problems = target.check(input, first.output);
  if (target.cutShort?.(first.output)) cut();
  // The parse budget counts work, so an output cut short is cut the same way on every run too.
  const second = await attempt(target, watchdog, input);
  if ('error' in second) problems.push(`threw on the second run only: ${second.error}`);
  else if (!isDeepStrictEqual(first.output, second.output)) problems.push('not deterministic: two runs on the same input differ');
  if (first.ms > inputBudgetMs) {
    // A loaded machine can stall one run: only a duration that repeats counts.
    const best = Math.min(first.ms, second.ms, (await attempt(target, watchdog, input)).ms, (await attempt(target, watchdog, input)).ms);
    if (best > inputBudgetMs) problems.push(`took ${Math.round(best)} ms of CPU (budget ${inputBudgetMs} ms)`);
  }
  return problems;
}

type Attempt = { readonly ms: number; readonly output: unknown } | { readonly ms: number; readonly error: string };

/**
 * One run of the target; `ms` is the CPU time this process spent on it (user + system), not the
 * wall clock: on a machine shared with other work a run can wait seconds for a core, and the input
 * budget is about the work an input costs (a quadratic path still costs seconds of CPU).
 */
async function attempt<I>(target: FuzzTarget<I>, watchdog: Watchdog, input: I): Promise<Attempt> {
  const start = process.cpuUsage();
  const ms = (): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  watchdog.running(target.show(input));
  try {
    const output = await target.run(input);
    return { ms: ms(), output };
  } catch (e) {
    return { ms: ms(), error: errorText(e) };
  } finally {
    watchdog.done();
  }
}

async function reduced<I>(target: FuzzTarget<I>, watchdog: Watchdog, input: I): Promise<I> {
  if (!target.reduce) return input;
  return target.reduce(input, async (candidate) => (await examine(target, watchdog, candidate, () => undefined)).length > 0);
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

// ---- invariants shared by the linting targets --------------------------------------------

const documented = new Map<string, boolean>();

function hasDocPage(code: string): boolean {
  let known = documented.get(code);
  if (known === undefined) documented.set(code, (known = fs.existsSync(path.join(packageRoot(), ruleDocPath(code)))));
  return known;
}

const severities = new Set(['error', 'warning', 'information', 'hint']);

/** Every finding inside the document, with a documented code, a severity and a message. */
export function findingProblems(text: string, findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  for (const f of findings) {
    const where = `${f.code}@${f.start}-${f.end}`;
    if (!(Number.isInteger(f.start) && Number.isInteger(f.end) && f.start >= 0 && f.start <= f.end && f.end <= text.length)) {
      problems.push(`${where} is not a range inside the document (length ${text.length})`);
    }
    if (!/^HS\d{3}$/.test(f.code) || !hasDocPage(f.code)) problems.push(`${where} has no documented rule code`);
    if (typeof f.message !== 'string' || f.message.trim() === '') problems.push(`${where} has no message`);
    if (!severities.has(f.severity)) problems.push(`${where} has severity ${String(f.severity)}`);
  }
  return problems;
}

// ---- text reduction ----------------------------------------------------------------------

/**
 * Delta debugging on a string: drops ever smaller chunks while the input still fails, so the
 * regression test holds only what matters. Bounded by `maxTries` runs of the check and `maxMs`.
 */
export async function reduceText(
  text: string,
  fails: (candidate: string) => Promise<boolean>,
  maxTries = 4000,
  maxMs = 60_000,
): Promise<string> {
  let current = text;
  let tries = 0;
  const deadline = performance.now() + maxMs;
  const more = (): boolean => tries < maxTries && performance.now() < deadline;
  for (let chunk = Math.max(1, current.length >> 1); chunk >= 1 && more(); chunk = chunk === 1 ? 0 : Math.max(1, chunk >> 1)) {
    for (let i = 0; i < current.length && more();) {
      const candidate = current.slice(0, i) + current.slice(i + chunk);
      tries++;
      if (await fails(candidate)) current = candidate;
      else i += chunk;
    }
  }
  return current;
}

// ---- the table ---------------------------------------------------------------------------

export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(0);
}

/** One line per target, for `npm test` output. */
export function summary(r: FuzzReport): string {
  const cut = r.cutShort ? `, ${r.cutShort} cut short by the parse budget` : '';
  return (
    `${r.target}: ${r.cases.toLocaleString('en-US')} cases (seed ${r.seed}), max ${formatMs(r.maxMs)} CPU ms per input, ` +
    `p99 ${formatMs(r.p99Ms)} ms${cut}${r.failure ? ', FAILED' : ''}`
  );
}

export function formatTable(reports: readonly FuzzReport[]): string {
  const rows = [
    ['target', 'cases', 'failures', 'max CPU ms/input', 'p99 ms'],
    ...reports.map((r) => [r.target, r.cases.toLocaleString('en-US'), r.failure ? '1' : '0', formatMs(r.maxMs), formatMs(r.p99Ms)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]): string => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** The failure of a report, for an assertion message or the long run's output. */
export function failureText(r: FuzzReport): string {
  return r.failure ? `${r.target} failed (seed ${r.seed}):\n${r.failure.problems}\nminimal input: ${r.failure.input}` : '';
}
