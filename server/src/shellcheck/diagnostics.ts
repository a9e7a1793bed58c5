import { Diagnostic, DiagnosticSeverity, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Json1Comment, Json1Level, Json1Position, Json1Replacement } from './json1';
import { CodePointLines } from './lines';
import { ShellcheckPlan } from './plan';

/** What a ShellCheck diagnostic carries in `data`: its fix as edits of the version it was computed for. */
export interface ShellcheckFixData {
  readonly kind: 'shellcheck';
  readonly version: number;
  readonly edits: TextEdit[];
}

const severities: Record<Json1Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  style: DiagnosticSeverity.Hint,
};

export function wikiUri(code: string): string {
  return `https://www.shellcheck.net/wiki/${code}`;
}

/** ShellCheck's comments on `plan.input` as diagnostics of `doc`, whose text the plan was made from. */
export function toDiagnostics(comments: readonly Json1Comment[], plan: ShellcheckPlan, doc: TextDocument): Diagnostic[] {
  const text = doc.getText();
  const lines = new CodePointLines(text);
  const bodyRange = (p: Json1Position): Range => ({
    start: doc.positionAt(lines.offset(p.line - plan.linesBefore, p.column)),
    end: doc.positionAt(lines.offset(p.endLine - plan.linesBefore, p.endColumn)),
  });
  if (plan.offsetOf) return embedded(comments, plan.offsetOf, doc);
  return comments.map((c) => {
    const code = `SC${c.code}`;
    const edits = c.fix && fixEdits(c.fix.replacements, plan, lines.lineCount, bodyRange);
    const diagnostic: Diagnostic = {
      range: bodyRange(c),
      severity: severities[c.level],
      code,
      codeDescription: { href: wikiUri(code) },
      source: 'shellcheck',
      message: c.message,
    };
    if (edits) diagnostic.data = { kind: 'shellcheck', version: doc.version, edits } satisfies ShellcheckFixData;
    return diagnostic;
  });
}

/**
 * Comments on shell embedded in another document (a config's values), through the plan's map:
 * a comment or fix that touches a place outside the embedded text is dropped (the comment) or
 * not offered (the fix).
 */
function embedded(
  comments: readonly Json1Comment[],
  offsetOf: (line: number, column: number) => number | undefined,
  doc: TextDocument,
): Diagnostic[] {
  const range = (p: Json1Position): Range | undefined => {
    const start = offsetOf(p.line, p.column);
    const end = offsetOf(p.endLine, p.endColumn);
    return start === undefined || end === undefined ? undefined : { start: doc.positionAt(start), end: doc.positionAt(end) };
  };
  return comments.flatMap((c) => {
    const at = range(c);
    if (!at) return [];
    const code = `SC${c.code}`;
    const diagnostic: Diagnostic = {
      range: at,
      severity: severities[c.level],
      code,
      codeDescription: { href: wikiUri(code) },
      source: 'shellcheck',
      message: c.message,
    };
    const edits = c.fix?.replacements.map((r) => ({ r, at: range(r) }));
    if (edits?.length && edits.every((e) => e.at)) {
      const sorted = edits
        .sort((a, b) => doc.offsetAt(a.at!.start) - doc.offsetAt(b.at!.start))
        .map((e) => TextEdit.replace(e.at!, e.r.replacement));
      if (sorted.every((e, i) => i === 0 || !isBefore(e.range.start, sorted[i - 1].range.end)))
        diagnostic.data = { kind: 'shellcheck', version: doc.version, edits: sorted } satisfies ShellcheckFixData;
    }
    return [diagnostic];
  });
}

/** A fix as non-overlapping edits in document order; none when it touches a wrapper's lines or its parts overlap. */
function fixEdits(
  replacements: readonly Json1Replacement[],
  plan: ShellcheckPlan,
  lineCount: number,
  range: (p: Json1Position) => Range,
): TextEdit[] | undefined {
  const inBody = (r: Json1Replacement) => r.line > plan.linesBefore && r.endLine - plan.linesBefore <= lineCount;
  if (!replacements.every(inBody)) return undefined;
  const order = (r: Json1Replacement) => (r.insertionPoint === 'beforeStart' ? 0 : 1);
  const sorted = [...replacements].sort((a, b) => a.line - b.line || a.column - b.column || order(a) - order(b));
  const edits = sorted.map((r) => TextEdit.replace(range(r), r.replacement));
  return edits.every((e, i) => i === 0 || !isBefore(e.range.start, edits[i - 1].range.end)) ? edits : undefined;
}

function isBefore(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
