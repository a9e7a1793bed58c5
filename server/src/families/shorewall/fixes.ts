import { Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, FixContext, Fixer } from '../../lsp/codeActions';
import { textEdit } from '../../lsp/workspaceEdits';

/**
 * HS445 on isusable's last case: `*) return 0 ;;` goes before its esac. The case is the file's
 * last statement, so its esac is the last one in the file (comments after it aside).
 */
export function defaultBranchFix(doc: TextDocument, d: Diagnostic, ctx: FixContext): Fix | undefined {
  const text = doc.getText();
  const from = doc.offsetAt(d.range.start);
  if (text.slice(from, from + 4) !== 'case') return undefined;
  const esac = lastKeyword(text, 'esac', from);
  if (esac === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', esac - 1) + 1;
  const before = text.slice(lineStart, esac);
  const caseIndent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', from - 1) + 1, from))?.[0] ?? '';
  const branch = '*) return 0 ;;';
  const edit = /^[ \t]*$/.test(before)
    ? TextEdit.insert(doc.positionAt(lineStart), `${caseIndent}  ${branch}\n`)
    : TextEdit.insert(doc.positionAt(esac), `${branch} `);
  return { title: `Add ${branch} before esac`, edit: textEdit(ctx.support, doc.uri, doc.version, [edit]), preferred: true };
}

/** The offset of the last `word` standing alone (not inside a longer word) after `from`, outside comments. */
function lastKeyword(text: string, word: string, from: number): number | undefined {
  const pattern = new RegExp(`(^|[\\s;])${word}(?=$|[\\s;)])`, 'gm');
  let found: number | undefined;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const at = m.index + m[1].length;
    const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
    if (at > from && !line.includes('#')) found = at;
  }
  return found;
}

/** HS445's fixer, as its rule record holds it (a declaration: the record may be read before this module has run). */
export function defaultBranchFixer(...[doc, d, data, ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return data?.kind === 'add-default-branch' ? defaultBranchFix(doc, d, ctx) : undefined;
}
