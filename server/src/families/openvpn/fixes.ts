import { Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, FixContext, Fixer } from '../../lsp/codeActions';
import { textEdit } from '../../lsp/workspaceEdits';
import { parseKeyValue } from '../../config/keyValue';
import { lastEntries, openvpnSyntax, scriptDirectives } from './config';
import { dashless } from './dashless';

/**
 * HS600: OpenVPN acts on the last `script-security` line, so that one's level becomes 2 (its old second word, `system`
 * or `execve`, stays as it was); with none, `script-security 2` goes on a line of its own before the first script
 * directive, so that one fix serves every HS600 of the file.
 */
function scriptSecurityFix(doc: TextDocument, d: Diagnostic, ctx: FixContext): Fix | undefined {
  const text = doc.getText();
  const key = doc.getText(d.range).replace(/^--/, '');
  // A stale diagnostic: its range no longer holds a script directive.
  if (!scriptDirectives.has(key)) return undefined;
  const config = dashless(parseKeyValue(text, openvpnSyntax));
  const setting = lastEntries(config).get('script-security');
  if (setting) {
    const level = /^\S*/.exec(setting.value)?.[0] ?? '';
    if (Number.parseInt(level, 10) >= 2) return undefined;
    const at = setting.valueSpan.start;
    const edit = TextEdit.replace({ start: doc.positionAt(at), end: doc.positionAt(at + level.length) }, '2');
    return {
      title: `Raise script-security ${level || '(empty)'} to 2`,
      edit: textEdit(ctx.support, doc.uri, doc.version, [edit]),
      preferred: true,
    };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const first = config.entries.find((e) => scriptDirectives.has(e.key))?.line ?? d.range.start.line;
  const lineStart = doc.offsetAt({ line: first, character: 0 });
  const edit = TextEdit.insert(doc.positionAt(lineStart), `script-security 2${eol}`);
  return { title: 'Add script-security 2', edit: textEdit(ctx.support, doc.uri, doc.version, [edit]), preferred: true };
}

/** HS600's fixer, as its rule record holds it (a declaration: the record may be read before this module has run). */
export function scriptSecurityFixer(...[doc, d, , ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return scriptSecurityFix(doc, d, ctx);
}
