import { ClientCapabilities, CreateFile, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';

/** The forms of WorkspaceEdit the client applies (LSP 3.13+ resource operations need documentChanges). */
export interface EditSupport {
  readonly documentChanges: boolean;
  readonly create: boolean;
  readonly rename: boolean;
}

export function editSupportOf(capabilities: ClientCapabilities): EditSupport {
  const edit = capabilities.workspace?.workspaceEdit;
  const documentChanges = edit?.documentChanges === true;
  const ops = documentChanges ? (edit?.resourceOperations ?? []) : [];
  return { documentChanges, create: ops.includes('create'), rename: ops.includes('rename') };
}

/** Text edits to one document; `version` null for a file the editor has not opened. */
export function textEdit(support: EditSupport, uri: string, version: number | null, edits: TextEdit[]): WorkspaceEdit {
  return support.documentChanges ? { documentChanges: [TextDocumentEdit.create({ uri, version }, edits)] } : { changes: { [uri]: edits } };
}

/**
 * A rename that never replaces another file: the client skips it if `to` appeared meanwhile.
 * `sameFile`: `to` is `from` under another letter case (a case-insensitive disk), which only overwrite renames.
 */
export function renameEdit(from: string, to: string, sameFile = false): WorkspaceEdit {
  const options = sameFile ? { overwrite: true } : { overwrite: false, ignoreIfExists: true };
  return { documentChanges: [RenameFile.create(from, to, options)] };
}

/**
 * A new file with its text. Neither overwrite nor ignoreIfExists: if the file appeared
 * meanwhile the client fails the whole edit rather than insert the text into it.
 */
export function createEdit(uri: string, text: string): WorkspaceEdit {
  const insert = TextEdit.insert({ line: 0, character: 0 }, text);
  return {
    documentChanges: [
      CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }),
      TextDocumentEdit.create({ uri, version: null }, [insert]),
    ],
  };
}
