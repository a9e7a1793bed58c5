/**
 * Expectations against a simulation report: each one holds, or fails with what was expected, what
 * happened, and the commands or state lines around it.
 */
import type { HookFamily } from '../families/family';
import { isListedStep, RunReport, SimulationReport } from '../protocol';
import { runIsEvent } from './families';
import { argvMatcher, lineMatcher, substitute, textMatcher } from './patterns';
import type { Expectation, TestInstance } from './spec';

export interface Failure {
  readonly expectation: Expectation;
  /** One line: what failed. */
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  /** The recorded commands, output or state lines the expectation was checked against. */
  readonly context: readonly string[];
}

type Run = RunReport & { readonly startedAtMs?: number; readonly event?: string; readonly hook?: string };

/** The failures of an instance's expectations against its report (none: the test passed). */
export function evaluate(instance: TestInstance, report: SimulationReport, family: HookFamily): Failure[] {
  return instance.test.expectations.flatMap((e) => {
    // A step only listed (wg-quick's own, in shims mode) ran nothing: no expectation is about it.
    const all = (report.runs as Run[]).filter((r) => !isListedStep(r));
    const runs = e.event === undefined ? all : all.filter((r) => runIsEvent(family, r, e.event!));
    if (e.event !== undefined && runs.length === 0) {
      const skipped = report.skipped.find((s) => s.label === e.event || s.label.endsWith(`: ${e.event}`));
      return [
        fail(
          e,
          `${e.event} did not run`,
          `a run of ${e.event}`,
          skipped ? `skipped: ${skipped.reason}` : `runs: ${report.runs.map((r) => r.label).join(', ') || 'none'}`,
          [],
        ),
      ];
    }
    const f = check(e, runs, report, instance.vars);
    return f ? [f] : [];
  });
}

function fail(expectation: Expectation, message: string, expected: string, actual: string, context: readonly string[]): Failure {
  return { expectation, message, expected, actual, context };
}

const where = (e: Expectation): string => (e.event ? `${e.event}: ` : '');

function check(
  e: Expectation,
  runs: readonly Run[],
  report: SimulationReport,
  vars: Readonly<Record<string, string>>,
): Failure | undefined {
  switch (e.kind) {
    case 'exit': {
      const bad = runs.find((r) => r.exitCode !== e.value);
      return bad && fail(e, `${bad.label}: ${exitText(bad)}`, `exit status ${String(e.value)}`, exitText(bad), outputTail(bad));
    }
    case 'timedOut':
    case 'killedByNextEvent': {
      const fact = (r: Run) => (e.kind === 'timedOut' ? r.timedOut : r.terminatedByNextEvent);
      const noun = e.kind === 'timedOut' ? 'timed out' : 'killed by the next event';
      // Per event, every run; for the whole run, true means some run was, false that none was.
      const ok = e.value ? (e.event ? runs.every(fact) : runs.some(fact)) : !runs.some(fact);
      return ok
        ? undefined
        : fail(
            e,
            `${where(e)}${e.value ? `not ${noun}` : noun}`,
            `${e.kind}: ${String(e.value)}`,
            runs.map((r) => `${r.label}: ${fact(r) ? noun : `not ${noun}`} (${exitText(r)})`).join('; '),
            [],
          );
    }
    case 'durationUnder': {
      const ms = e.event ? Math.max(...runs.map((r) => r.durationMs)) : wallTime(runs);
      return ms < (e.value as number)
        ? undefined
        : fail(
            e,
            `${where(e)}took ${ms} ms`,
            `under ${String(e.value)} ms`,
            `${ms} ms`,
            runs.map((r) => `${r.label}: ${r.durationMs} ms`),
          );
    }
    case 'ok':
      return report.ok === e.value
        ? undefined
        : fail(
            e,
            `the simulation was ${report.ok ? '' : 'not '}ok`,
            `ok: ${String(e.value)}`,
            `ok: ${String(report.ok)}`,
            report.runs.map((r) => `${r.label}: ${exitText(r)}`),
          );
    case 'restored':
      return restored(e, runs);
    case 'commands.contains':
    case 'commands.notContains':
    case 'commands.inOrder':
      return commands(e, runs, vars);
    case 'stdout':
    case 'stderr': {
      const text = runs.map((r) => r[e.kind as 'stdout' | 'stderr']).join('');
      const pattern = substitute((e.value as string[])[0], vars);
      return textMatcher(pattern).test(text)
        ? undefined
        : fail(
            e,
            `${where(e)}${e.kind} does not match ${pattern}`,
            pattern,
            text ? quoteLines(text) : `(no ${e.kind})`,
            text
              .split('\n')
              .filter((l) => l.trim())
              .slice(-10),
          );
    }
    case 'state.present':
    case 'state.absent':
      return state(e, runs, vars);
  }
}

function exitText(r: Run): string {
  if (r.notRun) return `not run (${r.notRun.message})`;
  if (r.timedOut) return `timed out (${r.signal ?? 'killed'})`;
  if (r.exitCode === null) return `killed by ${r.signal ?? 'a signal'}`;
  return `exit status ${r.exitCode}`;
}

function outputTail(r: Run): string[] {
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.trim())
    .slice(-5);
}

/** From the first start to the last end: the runs of a sequence carry their start times. */
function wallTime(runs: readonly Run[]): number {
  let clock = 0;
  let end = 0;
  for (const r of runs) {
    const start = r.startedAtMs ?? clock;
    clock = start + r.durationMs;
    end = Math.max(end, clock);
  }
  return end;
}

/** What the sandbox did with a recorded call: ` (exit 2)`, ` (not run: why)`; nothing outside a sandbox. */
const sandboxNote = (c: Run['commands'][number]): string =>
  !c.sandbox ? '' : c.sandbox.ran ? ` (exit ${c.sandbox.exitCode ?? 'unknown'})` : ` (not run: ${c.sandbox.why})`;
const argvText = (argv: readonly string[]): string => argv.map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');

function commands(e: Expectation, runs: readonly Run[], vars: Readonly<Record<string, string>>): Failure | undefined {
  const recorded = runs.flatMap((r) => r.commands.map((c) => c.argv));
  const list = recorded.length
    ? recorded.map((argv, i) => `${String(i + 1).padStart(3)}  ${argvText(argv)}`)
    : ['(no command was recorded)'];
  const patterns = (e.value as (string | string[])[]).map((p) =>
    argvMatcher(typeof p === 'string' ? substitute(p, vars) : p.map((w) => substitute(w, vars))),
  );
  if (e.kind === 'commands.contains') {
    return recorded.some((a) => patterns[0].test(a))
      ? undefined
      : fail(
          e,
          `${where(e)}no command matches ${patterns[0].source}`,
          patterns[0].source,
          `${recorded.length} command(s), none matching`,
          list,
        );
  }
  if (e.kind === 'commands.notContains') {
    const hit = recorded.findIndex((a) => patterns[0].test(a));
    return hit < 0
      ? undefined
      : fail(
          e,
          `${where(e)}command ${hit + 1} matches ${patterns[0].source}`,
          `no command matching ${patterns[0].source}`,
          argvText(recorded[hit]),
          list,
        );
  }
  let at = 0;
  for (const p of patterns) {
    const found = recorded.findIndex((a, i) => i >= at && p.test(a));
    if (found < 0) {
      const anywhere = recorded.some((a) => p.test(a));
      return fail(
        e,
        `${where(e)}no command matches ${p.source}${anywhere ? ' after the previous ones (it came earlier)' : ''}`,
        patterns.map((x) => x.source).join(' → '),
        anywhere ? 'out of order' : `${p.source} missing`,
        list,
      );
    }
    at = found + 1;
  }
  return undefined;
}

function state(e: Expectation, runs: readonly Run[], vars: Readonly<Record<string, string>>): Failure | undefined {
  const last = runs[runs.length - 1];
  const kind = e.stateKind as string;
  if (!last?.state)
    return fail(
      e,
      `${where(e)}no state was read: the run was not in the sandbox`,
      'a sandbox run',
      last ? `${last.label}: no state` : 'no run',
      [],
    );
  const lines = (last.state.after as Record<string, string[] | undefined>)[kind];
  if (!lines) return fail(e, `${where(e)}the sandbox could not read ${kind} (the tool is missing there)`, kind, 'not read', []);
  const pattern = lineMatcher(substitute((e.value as string[])[0], vars));
  const hit = lines.find((l) => pattern.test(l));
  const present = e.kind === 'state.present';
  if (present === (hit !== undefined)) return undefined;
  const diff = last.state.diff.filter((d) => d.kind === kind).map((d) => `${d.change === 'added' ? '+' : '-'} ${d.item}`);
  // What the shims recorded, and what the sandbox did with each (ran it, its exit status; or why not).
  const recorded = present ? runs.flatMap((r) => r.commands.map((c) => `  ${argvText(c.argv)}${sandboxNote(c)}`)) : [];
  return fail(
    e,
    `${where(e)}${kind} ${present ? 'has no line matching' : 'still has'} ${present ? pattern.source : hit}`,
    `${kind} ${present ? 'with' : 'without'} ${pattern.source}`,
    present ? `${lines.length} line(s), none matching` : hit!,
    [
      `${kind} after ${last.label}:`,
      ...lines.map((l) => `  ${l}`),
      ...(diff.length ? [`changed by ${last.label}:`, ...diff.map((d) => `  ${d}`)] : []),
      ...(recorded.length
        ? [
            'recorded by the shims (in the sandbox the network tools ran there; the others only show with `commands:`):',
            ...recorded.slice(0, 10),
          ]
        : []),
    ],
  );
}

function restored(e: Expectation, runs: readonly Run[]): Failure | undefined {
  const first = runs[0]?.state;
  const last = runs[runs.length - 1]?.state;
  if (!first || !last) return fail(e, 'no state was read: the run was not in the sandbox', 'a sandbox run', 'no state', []);
  const before = first.before as Record<string, string[] | undefined>;
  const after = last.after as Record<string, string[] | undefined>;
  const changes: string[] = [];
  for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = new Set(before[kind] ?? []);
    const a = new Set(after[kind] ?? []);
    for (const item of a) if (!b.has(item)) changes.push(`+ ${kind}: ${item}`);
    for (const item of b) if (!a.has(item)) changes.push(`- ${kind}: ${item}`);
  }
  const isRestored = changes.length === 0;
  if (isRestored === e.value) return undefined;
  return fail(
    e,
    isRestored
      ? `the state was restored after ${runs[runs.length - 1].label}`
      : `the state after ${runs[runs.length - 1].label} differs from the state before ${runs[0].label}`,
    `restored: ${String(e.value)}`,
    isRestored ? 'restored' : `${changes.length} difference(s)`,
    changes,
  );
}

function quoteLines(text: string): string {
  const t = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return JSON.stringify(t);
}
