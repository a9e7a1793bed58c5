import { Located } from './lintFiles';
import { escapeControls } from './escape';

/** gcc's severities: what editors' problem matchers and ShellCheck's gcc output use. */
export const gccSeverity = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** `file:line:column: severity: message [CODE]`, one line per finding, nothing else. */
export function formatGcc(diagnostics: readonly Located[]): string {
  return diagnostics
    .map((d) => `${escapeControls(d.file)}:${d.line}:${d.column}: ${gccSeverity[d.severity]}: ${escapeControls(d.message)} [${d.code}]\n`)
    .join('');
}
