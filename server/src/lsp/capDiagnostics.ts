import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { moreProblems } from '../capFindings';
import { ruleDocUri } from '../ruleDocs';

/** capFindings for diagnostics another tool made (ShellCheck): the first `max` in the file, then one HS113. */
export function capDiagnostics(diagnostics: Diagnostic[], max: number, whose: string): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const ordered = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const note: Diagnostic = {
    range: ordered[max].range,
    severity: DiagnosticSeverity.Information,
    code: 'HS113',
    codeDescription: { href: ruleDocUri('HS113') },
    source: 'hooksmith',
    message: moreProblems(ordered.length - max, max, whose),
  };
  return [...ordered.slice(0, max), note];
}
