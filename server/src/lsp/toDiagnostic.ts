import { Diagnostic, DiagnosticSeverity, Position } from 'vscode-languageserver';
import { Finding, Severity } from '../diagnostics';
import { ruleDocUri } from '../ruleDocs';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, positionAt: (offset: number) => Position): Diagnostic {
  return {
    range: { start: positionAt(f.start), end: positionAt(f.end) },
    severity: severities[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUri(f.code) },
    source: 'hooksmith',
    message: f.message,
    ...(f.fix ? { data: f.fix } : {}),
  };
}
