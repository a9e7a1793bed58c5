/** A checked spec file: its tests, each with its request, matrix rows and located expectations. */
import type { Finding } from '../diagnostics';

/** Offsets in the spec's text (UTF-16 code units), of a key through its value. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type ExpectationKind =
  | 'exit'
  | 'timedOut'
  | 'killedByNextEvent'
  | 'durationUnder'
  | 'ok'
  | 'restored'
  | 'commands.contains'
  | 'commands.inOrder'
  | 'commands.notContains'
  | 'stdout'
  | 'stderr'
  | 'state.present'
  | 'state.absent';

/** One expectation where it is written: the whole run's (no event) or one event's. */
export interface Expectation {
  readonly kind: ExpectationKind;
  /** The event's key in `expect`; undefined: the whole run. */
  readonly event?: string;
  /** boolean, a number (exit, milliseconds), or the patterns (strings; an argv pattern may be a list of words). */
  readonly value: boolean | number | readonly (string | readonly string[])[];
  /** The state kind (routes, files, ...) of a state expectation. */
  readonly stateKind?: string;
  readonly span: Span;
}

export interface MatrixRow {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** Request fields this row sets. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly span: Span;
}

export interface HookTest {
  readonly name: string;
  /** The spec file (absolute). */
  readonly file: string;
  /** The test's item in the list, for lenses and the Test Explorer. */
  readonly span: Span;
  /** Its `name` value. */
  readonly nameSpan: Span;
  /** The simulation request without the rows' values: kind, the family's fields (paths absolute), env, isolation, times. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly rows: readonly MatrixRow[];
  readonly expectations: readonly Expectation[];
}

export interface SpecFile {
  readonly file: string;
  readonly text: string;
  readonly tests: readonly HookTest[];
  /** HS8xx findings; a test with an error of its own is left out of `tests`. */
  readonly findings: readonly Finding[];
}

/** One run of a test: the test itself, or one matrix row of it. */
export interface TestInstance {
  readonly test: HookTest;
  /** "name" or "name [row]". */
  readonly name: string;
  readonly row?: MatrixRow;
  readonly request: Readonly<Record<string, unknown>>;
  /** `${VAR}` values: the test's env with the row's on top. */
  readonly vars: Readonly<Record<string, string>>;
}

/** The test, or one instance per row of its matrix. */
export function instances(test: HookTest): TestInstance[] {
  if (test.rows.length === 0)
    return [{ test, name: test.name, request: test.request, vars: (test.request.env ?? {}) as Record<string, string> }];
  return test.rows.map((row) => {
    const env = { ...((test.request.env ?? {}) as Record<string, string>), ...row.env };
    return { test, row, name: `${test.name} [${row.name}]`, request: { ...test.request, ...row.fields, env }, vars: env };
  });
}
