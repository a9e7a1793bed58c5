import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Position } from 'vscode-languageserver';
import { Finding, RelatedPlace, Severity } from '../diagnostics';
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
    ...(f.related?.length ? { relatedInformation: f.related.map(relatedInformation) } : {}),
  };
}

function relatedInformation(r: RelatedPlace): DiagnosticRelatedInformation {
  return {
    location: {
      uri: pathToFileURL(r.file).toString(),
      range: { start: { line: r.line, character: r.character }, end: { line: r.endLine, character: r.endCharacter } },
    },
    message: r.message,
  };
}
