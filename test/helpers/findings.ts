import * as assert from 'node:assert/strict';
import { Finding } from '../../server/src/diagnostics';
import { marked } from './marked';

/** Asserts that `findings` hold exactly one finding with `code`, at the span marked in `source`. */
export function assertOneAt(findings: readonly Finding[], code: string, source: string, spanIndex = 0): Finding {
  const { spans } = marked(source);
  const withCode = findings.filter((f) => f.code === code);
  assert.equal(withCode.length, 1, `expected one ${code}, got: ${describe(findings)}`);
  const span = spans[spanIndex];
  assert.deepEqual({ start: withCode[0].start, end: withCode[0].end }, { start: span.start, end: span.end }, `${code} range`);
  return withCode[0];
}

export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

export function describe(findings: readonly Finding[]): string {
  return findings.length ? findings.map((f) => `${f.code}@${f.start}-${f.end} ${f.message}`).join('\n  ') : '(none)';
}
