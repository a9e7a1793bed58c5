import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateFile, DeleteFile, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The editor side of applying an edit: documents open in the client, and how to change them. */
export interface EditorDocuments {
  get(uri: string): TextDocument | undefined;
  /** Replaces an open document's text (a didChange to the server). */
  setText(uri: string, text: string): Promise<void>;
  /** An open document moved with its file (didClose, then didOpen at the new URI). */
  moved(from: string, to: string): Promise<void>;
}

/**
 * Applies a WorkspaceEdit the way VS Code does: file operations on disk, honouring
 * overwrite / ignoreIfExists; text edits to the open document when there is one (version
 * checked), else to the file on disk (VS Code saves files a refactoring opened).
 */
export async function applyWorkspaceEdit(edit: WorkspaceEdit, editor: EditorDocuments): Promise<void> {
  for (const change of edit.documentChanges ?? []) {
    if (TextDocumentEdit.is(change))
      await applyTextEdits(change.textDocument.uri, change.textDocument.version, change.edits as TextEdit[], editor);
    else if (CreateFile.is(change)) createFile(change);
    else if (RenameFile.is(change)) await renameFile(change, editor);
    else if (DeleteFile.is(change)) throw new Error(`unexpected delete of ${change.uri}`);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) await applyTextEdits(uri, null, edits, editor);
}

async function applyTextEdits(uri: string, version: number | null, edits: TextEdit[], editor: EditorDocuments): Promise<void> {
  const open = editor.get(uri);
  if (open) {
    if (version !== null && version !== open.version) throw new Error(`edit for version ${version} of ${uri}, which is at ${open.version}`);
    return editor.setText(uri, TextDocument.applyEdits(open, edits));
  }
  const file = fileURLToPath(uri);
  const doc = TextDocument.create(uri, 'plaintext', 0, fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, TextDocument.applyEdits(doc, edits));
}

function createFile(op: CreateFile): void {
  const file = fileURLToPath(op.uri);
  if (fs.existsSync(file)) {
    if (op.options?.ignoreIfExists && !op.options.overwrite) return;
    if (!op.options?.overwrite) throw new Error(`${file} exists`);
  }
  fs.writeFileSync(file, '');
}

async function renameFile(op: RenameFile, editor: EditorDocuments): Promise<void> {
  const [from, to] = [fileURLToPath(op.oldUri), fileURLToPath(op.newUri)];
  if (fs.existsSync(to)) {
    if (op.options?.ignoreIfExists && !op.options.overwrite) return;
    if (!op.options?.overwrite) throw new Error(`${to} exists`);
  }
  fs.renameSync(from, to);
  if (editor.get(op.oldUri)) await editor.moved(op.oldUri, op.newUri);
}
