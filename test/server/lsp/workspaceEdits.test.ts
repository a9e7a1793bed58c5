import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { TextEdit } from 'vscode-languageserver';
import { editSupportOf, textEdit } from '../../../server/src/lsp/workspaceEdits';

suite('workspace edits the client can apply', () => {
  test('resource operations count only with documentChanges', () => {
    assert.deepEqual(editSupportOf({ workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename'] } } }), {
      documentChanges: true,
      create: true,
      rename: true,
    });
    assert.deepEqual(editSupportOf({ workspace: { workspaceEdit: { resourceOperations: ['create', 'rename'] } } }), {
      documentChanges: false,
      create: false,
      rename: false,
    });
    assert.deepEqual(editSupportOf({}), { documentChanges: false, create: false, rename: false });
  });

  test('text edits are versioned where supported, plain changes otherwise', () => {
    const edit = TextEdit.insert({ line: 0, character: 0 }, 'x');
    assert.deepEqual(textEdit({ documentChanges: true, create: false, rename: false }, 'file:///a', 3, [edit]), {
      documentChanges: [{ textDocument: { uri: 'file:///a', version: 3 }, edits: [edit] }],
    });
    assert.deepEqual(textEdit({ documentChanges: false, create: false, rename: false }, 'file:///a', 3, [edit]), {
      changes: { 'file:///a': [edit] },
    });
  });
});
