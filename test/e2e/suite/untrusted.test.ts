import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, placed, waitForDiagnostics, workspaceFile } from './helpers';

// Run with workspace trust not granted (Restricted Mode): validation reads files and runs none of them.
suite('Hooksmith in an untrusted workspace', () => {
  test('the workspace is in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('a broken profile still gets its diagnostics at the exact elements', async () => {
    const uri = workspaceFile('profiles', 'branch-office.xml');
    await open(uri);
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0, 'diagnostics in Restricted Mode');
    assert.deepEqual(placed(diagnostics), [
      ['HS206', 4, 46, 4, 50],
      ['HS206', 7, 25, 7, 28],
      ['HS204', 16, 4, 16, 15],
    ]);
  });

  test('a Shorewall hook is checked too, and an edit is validated as you type', async () => {
    const uri = workspaceFile('shorewall', 'start');
    await open(uri);
    const found = await waitForDiagnostics(uri, (d) => d.length > 0, 'hook diagnostics in Restricted Mode');
    assert.deepEqual(placed(found), [['HS440', 3, 4, 3, 8]]);

    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(3, 4, 3, 8), 'return');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'diagnostics cleared after the edit');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
