/** `hooksmith test`'s text report and its JUnit XML (fast-xml-parser's XMLBuilder). */
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import type { ResultJson } from '../hooktest/results';
import type { SpecError } from '../protocol';
import { escapeControls } from './escape';

const rel = (file: string): string => path.relative(process.cwd(), file) || file;

/** One line per test, then each failure: where it is written, expected vs actual, the commands or state around it. */
export function formatTestText(results: readonly ResultJson[], errors: readonly SpecError[], wallMs: number, jobs: number): string {
  const out: string[] = [];
  for (const e of errors) out.push(`${escapeControls(rel(e.file))}:${e.line}:${e.column}: error: ${escapeControls(e.message)} [${e.code}]`);
  if (errors.length) out.push('');
  let file = '';
  for (const r of results) {
    if (r.file !== file) out.push(`${escapeControls(rel((file = r.file)))}`);
    const mark = { passed: 'PASS', failed: 'FAIL', error: 'ERROR', cancelled: 'STOP' }[r.status];
    out.push(`  ${mark}  ${escapeControls(r.name)} (${r.durationMs} ms)`);
    // An error can be several lines (a stack): each its own, indented, with its controls escaped.
    if (r.error) out.push(...r.error.split('\n').map((line) => `        ${escapeControls(line)}`));
    for (const f of r.failures) {
      out.push(`        ${escapeControls(rel(f.file))}:${f.line}:${f.column}: ${escapeControls(f.message)}`);
      out.push(`          expected: ${escapeControls(f.expected)}`);
      out.push(`          actual:   ${escapeControls(f.actual)}`);
      for (const line of f.context.slice(0, 40)) out.push(`          ${escapeControls(line)}`);
      if (f.context.length > 40) out.push(`          ... ${f.context.length - 40} more`);
    }
  }
  const count = (s: ResultJson['status']) => results.filter((r) => r.status === s).length;
  const parts = [
    `${count('passed')} passed`,
    `${count('failed')} failed`,
    ...(count('error') ? [`${count('error')} could not run`] : []),
    ...(count('cancelled') ? [`${count('cancelled')} stopped`] : []),
  ];
  out.push(
    '',
    `${results.length} test(s): ${parts.join(', ')}${errors.length ? `; ${errors.length} spec error(s)` : ''} ` +
      `(${(wallMs / 1000).toFixed(1)} s, up to ${jobs} at a time)`,
  );
  return out.join('\n') + '\n';
}

/** JUnit XML as CI tools read it (Ant's format): a testsuite per spec file, a testcase per test instance. */
export function formatJunit(results: readonly ResultJson[], errors: readonly SpecError[], specFiles: readonly string[]): string {
  const timestamp = new Date().toISOString().slice(0, 19);
  const hostname = os.hostname() || 'localhost';
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = specFiles.map((file, id) => {
    const mine = results.filter((r) => r.file === file);
    const specErrors = errors.filter((e) => e.file === file);
    const cases = mine.map((r) => ({
      '@_name': r.name,
      '@_classname': path.basename(file).replace(/\.ya?ml$/, ''),
      '@_time': seconds(r.durationMs),
      ...(r.status === 'failed'
        ? {
            failure: r.failures.map((f) => ({
              '@_message': f.message,
              '@_type': 'expectation',
              '#text': [`${rel(f.file)}:${f.line}:${f.column}`, `expected: ${f.expected}`, `actual:   ${f.actual}`, ...f.context].join(
                '\n',
              ),
            })),
          }
        : {}),
      ...(r.status === 'error' || r.status === 'cancelled' ? { error: { '@_message': r.error ?? 'stopped', '@_type': r.status } } : {}),
    }));
    // A spec error is a test case that errs: CI shows it rather than a suite that looks empty.
    const errorCases = specErrors.map((e) => ({
      '@_name': `${e.code} at line ${e.line}`,
      '@_classname': rel(file),
      '@_time': '0.000',
      error: { '@_message': e.message, '@_type': e.code },
    }));
    return {
      '@_name': rel(file),
      '@_package': 'hooksmith',
      '@_id': String(id),
      '@_timestamp': timestamp,
      '@_hostname': hostname,
      '@_tests': String(cases.length + errorCases.length),
      '@_failures': String(mine.filter((r) => r.status === 'failed').length),
      '@_errors': String(mine.filter((r) => r.status === 'error' || r.status === 'cancelled').length + errorCases.length),
      '@_time': seconds(mine.reduce((t, r) => t + r.durationMs, 0)),
      properties: '',
      testcase: [...cases, ...errorCases],
      'system-out': mine.map((r) => (r.stdout ? `== ${r.name}\n${r.stdout}` : '')).join(''),
      'system-err': mine.map((r) => (r.stderr ? `== ${r.name}\n${r.stderr}` : '')).join(''),
    };
  });
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ testsuites: { testsuite: suites } }) as string}`;
}
