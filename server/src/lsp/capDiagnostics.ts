import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { capInOrder, moreProblems } from '../capFindings';
import { ruleDocUri } from '../ruleDocs';

/** capFindings for diagnostics another tool made (ShellCheck): the first `max` in the file, then one HS113. */
export function capDiagnostics(diagnostics: readonly Diagnostic[], max: number, whose: string): Diagnostic[] {
  return capInOrder(
    diagnostics,
    max,
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    (first, more): Diagnostic => ({
      range: first.range,
      severity: DiagnosticSeverity.Information,
      code: 'HS113',
      codeDescription: { href: ruleDocUri('HS113') },
      source: 'hooksmith',
      message: moreProblems(more, max, whose),
    }),
  );
}
