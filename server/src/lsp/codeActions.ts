import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionKind, Command, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FixData, ruleOf } from '../diagnostics';
import { readFixData } from './fixData';
import { localPathOf } from './localPath';
import { families } from '../families/registry';
import { EditSupport, renameEdit, textEdit } from './workspaceEdits';

export interface FixContext {
  readonly support: EditSupport;
  /** The server's copy of an open document: edits to it carry its version, and its text wins over the disk. */
  readonly openDocument: (uri: string) => TextDocument | undefined;
  /** Server commands a fix runs after its edit. */
  readonly commands: { readonly validate: string; readonly makeExecutable: string };
}

/** What a fix offers: an edit, a command run after it, and whether it is the obvious choice. */
export interface Fix {
  readonly title: string;
  readonly edit?: WorkspaceEdit;
  readonly command?: Command;
  readonly preferred: boolean;
}

export type Fixer = (doc: TextDocument, d: Diagnostic, data: FixData | undefined, ctx: FixContext) => Fix | undefined;

/** The fixes any rule may use, by name: a rule record says which one is its fix. */
const commonFixers = { rename: renameFix, makeExecutable: executableFix, crlf: crlfFix, replace: replaceFix } as const satisfies Record<string, Fixer>;
export type CommonFix = keyof typeof commonFixers;

/** A rule's fixer: from its record, else one a family registers for a rule it does not own (a profile rule whose fix is a hook). */
function fixerOf(code: string): Fixer | undefined {
  const fix = ruleOf(code)?.fix ?? families.map((f) => f.fixers?.[code]).find((f) => f !== undefined);
  return typeof fix === 'string' ? commonFixers[fix] : fix;
}

/** Quick fixes for Hooksmith's own diagnostics among those the client sent. */
export function quickFixes(doc: TextDocument, diagnostics: readonly Diagnostic[], ctx: FixContext): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const fixer = d.source === 'hooksmith' && typeof d.code === 'string' ? fixerOf(d.code) : undefined;
    const fix = fixer?.(doc, d, readFixData(d.data), ctx);
    return fix ? [toCodeAction(fix, d)] : [];
  });
}

function toCodeAction(fix: Fix, d: Diagnostic): CodeAction {
  const action = CodeAction.create(fix.title, CodeActionKind.QuickFix);
  action.diagnostics = [d];
  if (fix.edit) action.edit = fix.edit;
  if (fix.command) action.command = fix.command;
  if (fix.preferred) action.isPreferred = true;
  return action;
}

function renameFix(doc: TextDocument, _d: Diagnostic, data: FixData | undefined, ctx: FixContext): Fix | undefined {
  const from = localPathOf(doc.uri);
  if (data?.kind !== 'rename' || !ctx.support.rename || from === undefined) return undefined;
  const to = path.join(path.dirname(from), data.to);
  const clash = existing(to);
  // A case-only rename on a case-insensitive disk finds the file itself at the new name.
  const sameFile = clash !== undefined && sameInode(clash, existing(from));
  if (clash && !sameFile) return undefined;
  return { title: `Rename to ${data.to}`, edit: renameEdit(doc.uri, pathToFileURL(to).toString(), sameFile), preferred: true };
}

function existing(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

function sameInode(a: fs.Stats, b: fs.Stats | undefined): boolean {
  return b !== undefined && a.ino === b.ino && a.dev === b.dev;
}

function executableFix(doc: TextDocument, _d: Diagnostic, _data: FixData | undefined, ctx: FixContext): Fix | undefined {
  const file = localPathOf(doc.uri);
  if (file === undefined) return undefined;
  const title = `Make ${path.basename(file)} executable (chmod +x)`;
  return { title, command: Command.create(title, ctx.commands.makeExecutable, doc.uri), preferred: true };
}

function crlfFix(doc: TextDocument, _d: Diagnostic, _data: FixData | undefined, ctx: FixContext): Fix | undefined {
  const text = doc.getText();
  if (!text.includes('\r\n')) return undefined;
  const whole = TextEdit.replace({ start: doc.positionAt(0), end: doc.positionAt(text.length) }, text.replace(/\r\n/g, '\n'));
  return { title: 'Convert line ends to LF', edit: textEdit(ctx.support, doc.uri, doc.version, [whole]), preferred: true };
}

function replaceFix(doc: TextDocument, d: Diagnostic, data: FixData | undefined, ctx: FixContext): Fix | undefined {
  if (data?.kind !== 'replace') return undefined;
  // The range must still hold a word: a stale diagnostic must not overwrite what replaced it.
  const current = doc.getText(d.range);
  if (!/^[\w-]+$/.test(current) || current === data.with) return undefined;
  const edit = textEdit(ctx.support, doc.uri, doc.version, [TextEdit.replace(d.range, data.with)]);
  return { title: `Replace ${current} with ${data.with}`, edit, preferred: true };
}
