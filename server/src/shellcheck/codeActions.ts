import { CodeAction, CodeActionKind, CodeActionParams, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ShellcheckFixData } from './diagnostics';

/**
 * Quick fixes for the ShellCheck diagnostics among those the client sent: the fix ShellCheck
 * proposed, as computed for the version it checked. After an edit the fix waits for the next
 * check rather than landing on moved text.
 */
export function shellcheckCodeActions(params: CodeActionParams, doc: TextDocument): CodeAction[] {
  if (!wantsQuickFixes(params.context.only)) return [];
  return params.context.diagnostics.flatMap((d) => {
    const fix = d.source === 'shellcheck' ? fixOf(d.data) : undefined;
    if (!fix || fix.version !== doc.version || !fix.edits.every((e) => inside(e.range, doc))) return [];
    const action = CodeAction.create(`Fix ${String(d.code)}: ${d.message}`, { changes: { [doc.uri]: fix.edits } }, CodeActionKind.QuickFix);
    action.diagnostics = [d];
    action.isPreferred = true;
    return [action];
  });
}

function wantsQuickFixes(only: readonly string[] | undefined): boolean {
  return !only || only.some((kind) => kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix);
}

/** The data came back from the client: trust its shape only after checking it. */
function fixOf(data: unknown): ShellcheckFixData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<ShellcheckFixData>;
  const ok =
    d.kind === 'shellcheck' && Number.isInteger(d.version) && Array.isArray(d.edits) && d.edits.length > 0 && d.edits.every(isEdit);
  return ok ? (d as ShellcheckFixData) : undefined;
}

function isEdit(e: unknown): e is TextEdit {
  return typeof e === 'object' && e !== null && typeof (e as TextEdit).newText === 'string' && Range.is((e as TextEdit).range);
}

function inside(range: Range, doc: TextDocument): boolean {
  return range.end.line < doc.lineCount;
}
