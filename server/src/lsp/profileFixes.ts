import { Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { localName, XmlElement } from '../xml/model';
import { scanXml } from '../xml/scanner';
import type { Fix, FixContext } from './codeActions';
import { textEdit } from './workspaceEdits';

/** The element whose start-tag name the diagnostic is on, if the document still has it there. */
function elementAt(doc: TextDocument, d: Diagnostic): XmlElement | undefined {
  const offset = doc.offsetAt(d.range.start);
  const name = doc.getText(d.range);
  let found: XmlElement | undefined;
  const visit = (elements: readonly XmlElement[]): void => {
    for (const e of elements) {
      if (found || e.start > offset) return;
      if (e.start + 1 === offset && e.name === name) found = e;
      else if (e.start < offset && offset < Math.max(e.end, e.startTagEnd)) visit(e.children);
    }
  };
  visit(scanXml(doc.getText()).roots);
  return found;
}

/** Offset of the name in an element's end tag; undefined for a self-closing or unclosed element. */
function endTagName(text: string, e: XmlElement): number | undefined {
  if (!e.closed || text.startsWith('/>', e.startTagEnd - 2)) return undefined;
  const at = text.lastIndexOf('</', e.end - 1);
  return at >= e.startTagEnd && text.startsWith(e.name, at + 2) ? at + 2 : undefined;
}

/** "Did you mean <LocalLanAccess>?": both tags renamed. */
export function renameElementFix(doc: TextDocument, d: Diagnostic, to: string, ctx: FixContext): Fix | undefined {
  const e = elementAt(doc, d);
  if (!e || e.name === to) return undefined;
  const text = doc.getText();
  const rename = (at: number): TextEdit => TextEdit.replace({ start: doc.positionAt(at), end: doc.positionAt(at + e.name.length) }, to);
  const end = endTagName(text, e);
  if (e.closed && end === undefined && !text.startsWith('/>', e.startTagEnd - 2)) return undefined;
  const edits = end === undefined ? [rename(e.start + 1)] : [rename(e.start + 1), rename(end)];
  return { title: `Rename <${e.name}> to <${to}>`, edit: textEdit(ctx.support, doc.uri, doc.version, edits), preferred: true };
}

/**
 * An element beside the one it belongs in (AutoReconnectBehavior beside AutoReconnect) is moved
 * inside it, last, on a line of its own; its old line goes. Only when exactly one sibling of that
 * name can take it, so the fix never guesses.
 */
export function moveIntoFix(doc: TextDocument, d: Diagnostic, parent: string, ctx: FixContext): Fix | undefined {
  const e = elementAt(doc, d);
  const siblings = e?.parent?.children ?? [];
  const targets = siblings.filter((s) => s !== e && localName(s.name) === parent);
  if (!e || !e.closed || targets.length !== 1) return undefined;
  const text = doc.getText();
  const target = targets[0];
  const end = endTagName(text, target);
  if (end === undefined) return undefined;
  const endTag = end - 2;
  const indent = indentOf(text, target.start);
  const unit = indent.includes('\t') ? '\t' : '  ';
  const moved = text.slice(e.start, e.end);
  const endTagOnOwnLine = /^[ \t]*$/.test(text.slice(lineStart(text, endTag), endTag));
  const insert = endTagOnOwnLine
    ? TextEdit.insert(doc.positionAt(lineStart(text, endTag)), `${indent}${unit}${moved}\n`)
    : TextEdit.insert(doc.positionAt(endTag), `\n${indent}${unit}${moved}\n${indent}`);
  const [from, to] = wholeLines(text, e.start, e.end);
  const remove = TextEdit.del({ start: doc.positionAt(from), end: doc.positionAt(to) });
  const edits = from < endTag ? [remove, insert] : [insert, remove];
  return { title: `Move <${e.name}> into <${target.name}>`, edit: textEdit(ctx.support, doc.uri, doc.version, edits), preferred: true };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentOf(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))?.[0] ?? '';
}

/** The element's lines, when it is alone on them (blanks before it, blanks and a line end after); else just the element. */
function wholeLines(text: string, start: number, end: number): [number, number] {
  const from = lineStart(text, start);
  const after = /^[ \t]*(\r?\n|$)/.exec(text.slice(end));
  return /^[ \t]*$/.test(text.slice(from, start)) && after ? [from, end + after[0].length] : [start, end];
}
