/** Test results as plain JSON (the CLI's --json, the LSP's answer): where each failure is written in its spec. */
import type { HookTestResult, SpecError, SpecPlace } from '../protocol';
import { LineIndex } from '../text/lineIndex';
import type { TestResult } from './run';
import type { SpecFile, Span } from './spec';

type Place = SpecPlace;
export type ResultJson = HookTestResult;

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
    failures: r.failures.map((f) => ({
      ...placeOf(spec, f.expectation.span, lines),
      message: f.message,
      expected: f.expected,
      actual: f.actual,
      context: f.context,
    })),
    stdout: runs.map((run) => run.stdout).join(''),
    stderr: runs.map((run) => run.stderr).join(''),
  };
}

/** A spec's errors (HS8xx at error severity), placed: a test with one of its own did not run. */
export function specErrors(spec: SpecFile): SpecError[] {
  const lines = new LineIndex(spec.text);
  return spec.findings.filter((f) => f.severity === 'error').map((f) => ({ ...placeOf(spec, f, lines), code: f.code, message: f.message }));
}
