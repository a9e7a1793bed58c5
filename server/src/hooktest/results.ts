/** Test results as plain JSON (the CLI's --json, the LSP's answer): where each failure is written in its spec. */
import { LineIndex } from '../text/lineIndex';
import type { TestResult } from './run';
import type { SpecFile, Span } from './spec';

export interface Place {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface FailureJson extends Place {
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  readonly context: readonly string[];
}

export interface ResultJson extends Place {
  readonly name: string;
  /** The test's own name (without a matrix row's). */
  readonly test: string;
  readonly status: TestResult['status'];
  readonly durationMs: number;
  readonly error?: string;
  readonly failures: readonly FailureJson[];
  readonly stdout: string;
  readonly stderr: string;
}

/** Where a span of a spec is, 1-based. */
export function placeOf(spec: Pick<SpecFile, 'file' | 'text'>, span: Span, lines = new LineIndex(spec.text)): Place {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return { file: spec.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function resultJson(spec: Pick<SpecFile, 'file' | 'text'>, r: TestResult): ResultJson {
  const lines = new LineIndex(spec.text);
  const runs = r.report?.runs ?? [];
  return {
    name: r.instance.name,
    test: r.instance.test.name,
    ...placeOf(spec, r.instance.row?.span ?? r.instance.test.nameSpan, lines),
    status: r.status,
    durationMs: r.durationMs,
    ...(r.error ? { error: r.error } : {}),
    failures: r.failures.map((f) => ({ ...placeOf(spec, f.expectation.span, lines), message: f.message, expected: f.expected, actual: f.actual, context: f.context })),
    stdout: runs.map((run) => run.stdout).join(''),
    stderr: runs.map((run) => run.stderr).join(''),
  };
}
