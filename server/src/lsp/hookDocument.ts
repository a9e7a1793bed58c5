import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HookFile } from '../families/family';
import { listFolder, modeOf, readText } from '../hooks/lintHook';
import { bomOnDisk } from '../hooks/byteOrderMark';
import { localPathOf } from './localPath';

/** A hook as the rules see it, from an open document: siblings that are open are read from the editor, not the disk. */
export function hookFileOf(doc: TextDocument, documents: TextDocuments<TextDocument>): HookFile {
  const file = localPathOf(doc.uri);
  if (file === undefined) {
    return { path: path.basename(doc.uri), text: doc.getText(), mode: undefined, siblings: [], readSibling: () => undefined };
  }
  const dir = path.dirname(file);
  const text = doc.getText();
  return {
    path: file,
    text,
    mode: modeOf(file),
    siblings: listFolder(dir),
    readSibling: (name) => {
      const sibling = path.join(dir, name);
      return documents.get(pathToFileURL(sibling).toString())?.getText() ?? readText(sibling);
    },
    // Only a text that starts with #! can have lost a BOM to the editor; spare the read otherwise.
    bomOnDisk: text.startsWith('#!') && bomOnDisk(file),
  };
}
