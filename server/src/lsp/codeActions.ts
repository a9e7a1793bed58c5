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
  readonly commands: {
    readonly validate: string;
    readonly makeExecutable: string;
    readonly removeBom: string;
    readonly removeGroupWrite: string;
    readonly renameFile: string;
    readonly createScript: string;
    readonly openCreated: string;
  };
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
const commonFixers = {
  rename: renameFix,
  makeExecutable: executableFix,
  crlf: crlfFix,
  replace: replaceFix,
  removeBom: bomFix,
  removeGroupWrite: (doc, _d, data, ctx) =>
    data?.kind === 'chmod-go-w'
      ? fileCommandFix(doc, 'Remove write access for group and others (chmod go-w)', ctx.commands.removeGroupWrite)
      : undefined,
} as const satisfies Record<string, Fixer>;
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
  if (data?.kind !== 'rename' || from === undefined) return undefined;
  const to = path.join(path.dirname(from), data.to);
  const clash = existing(to);
  // A case-only rename on a case-insensitive disk finds the file itself at the new name.
  const sameFile = clash !== undefined && sameInode(clash, existing(from));
  if (clash && !sameFile) return undefined;
  const title = `Rename to ${data.to}`;
  // A client that cannot rename in a WorkspaceEdit has the server rename the file (fileOperations.ts).
  if (!ctx.support.rename) return { title, command: Command.create(title, ctx.commands.renameFile, doc.uri, data.to), preferred: true };
  return { title, edit: renameEdit(doc.uri, pathToFileURL(to).toString(), sameFile), preferred: true };
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
  return file === undefined
    ? undefined
    : fileCommandFix(doc, `Make ${path.basename(file)} executable (chmod +x)`, ctx.commands.makeExecutable);
}

/** A fix the server carries out on the document's file (its mode, its bytes), by command. */
function fileCommandFix(doc: TextDocument, title: string, command: string): Fix | undefined {
  if (localPathOf(doc.uri) === undefined) return undefined;
  return { title, command: Command.create(title, command, doc.uri), preferred: true };
}

function crlfFix(doc: TextDocument, _d: Diagnostic, _data: FixData | undefined, ctx: FixContext): Fix | undefined {
  const text = doc.getText();
  if (!text.includes('\r\n')) return undefined;
  const whole = TextEdit.replace({ start: doc.positionAt(0), end: doc.positionAt(text.length) }, text.replace(/\r\n/g, '\n'));
  return { title: 'Convert line ends to LF', edit: textEdit(ctx.support, doc.uri, doc.version, [whole]), preferred: true };
}

/** The BOM is in the text when the client keeps it there (an edit removes it), else only on disk (the server rewrites the file). */
function bomFix(doc: TextDocument, _d: Diagnostic, data: FixData | undefined, ctx: FixContext): Fix | undefined {
  if (data?.kind !== 'remove-bom') return undefined;
  const title = 'Remove the byte-order mark before #!';
  if (doc.getText().startsWith('\uFEFF')) {
    const edit = TextEdit.del({ start: doc.positionAt(0), end: doc.positionAt(1) });
    return { title, edit: textEdit(ctx.support, doc.uri, doc.version, [edit]), preferred: true };
  }
  return fileCommandFix(doc, title, ctx.commands.removeBom);
}

function replaceFix(doc: TextDocument, d: Diagnostic, data: FixData | undefined, ctx: FixContext): Fix | undefined {
  if (data?.kind !== 'replace') return undefined;
  // The range must still hold one value: a stale diagnostic must not overwrite what replaced it.
  const current = doc.getText(d.range);
  if (!/^[^\s"'<>&]+$/.test(current) || current === data.with) return undefined;
  const edit = textEdit(ctx.support, doc.uri, doc.version, [TextEdit.replace(d.range, data.with)]);
  return { title: `Replace ${current} with ${data.with}`, edit, preferred: true };
}
