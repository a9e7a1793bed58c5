import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, open, until, waitForDiagnostics, workspaceFile } from './helpers';

/** Writes a file into the workspace (outside the fixture copy, so nothing activates before the first test). */
function writeFile(mode: number, text: string, ...segments: string[]): vscode.Uri {
  const uri = workspaceFile(...segments);
  fs.mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
  fs.writeFileSync(uri.fsPath, text, { mode });
  fs.chmodSync(uri.fsPath, mode);
  return uri;
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a);
}

/** Does what VS Code does on Ctrl+. and Enter: the action's edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, 'VS Code refused the edit');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

suite('Editor fixes', () => {
  test('HS407: "Convert line ends to LF" converts the document (EOL LF, marked changed) and the error goes', async () => {
    const uri = writeFile(0o755, '#!/bin/sh\r\nlogger up\r\nlogger done\r\n', 'crlf', 'OnConnect_crlf.sh');
    const editor = await open(uri);
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    // ShellCheck's findings on the same file (SC1017 on each CR) may come first: take HS407's own.
    const [crlf] = (await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'HS407'), 'HS407')).filter(
      (x) => codeOf(x) === 'HS407',
    );
    const fix = (await quickFixes(uri, crlf.range)).find((a) => a.title === 'Convert line ends to LF');
    assert.ok(fix, 'the quick fix is offered');
    await apply(fix);
    assert.equal(editor.document.eol, vscode.EndOfLine.LF);
    assert.equal(editor.document.isDirty, true, 'marked changed');
    assert.equal(editor.document.getText(), '#!/bin/sh\nlogger up\nlogger done\n');
    await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'HS407'), 'HS407 gone');
    await vscode.commands.executeCommand('workbench.action.files.save');
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), '#!/bin/sh\nlogger up\nlogger done\n', 'saved with LF');
  });

  test('a script created by a quick fix opens in an editor', async () => {
    const profile = writeFile(
      0o644,
      '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
        '<ClientInitialization>\n    <OnConnectScript>OnConnect_made.sh</OnConnectScript>\n  ' +
        '</ClientInitialization>\n</AnyConnectProfile>\n',
      'made',
      'made.xml',
    );
    await open(profile);
    const [missing] = await waitForDiagnostics(profile, (d) => d.some((x) => codeOf(x) === 'HS304'), 'HS304').then((d) =>
      d.filter((x) => codeOf(x) === 'HS304'),
    );
    const create = (await quickFixes(profile, missing.range)).find((a) => /^Create OnConnect_made\.sh from a template$/.test(a.title));
    assert.ok(create, 'the create-script fix is offered');
    await apply(create);
    const created = workspaceFile('made', 'OnConnect_made.sh');
    await until(
      () => (vscode.window.activeTextEditor?.document.uri.toString() === created.toString() ? true : undefined),
      'the new script in the active editor',
    );
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^#!\/bin\/sh\n/);
  });

  test(
    'a hook-named file created some other way (a workspace edit, as the explorer or another extension makes) is not ' +
      'opened by Hooksmith; the file its fix creates is',
    async () => {
      const mine = workspaceFile('made-by-user', 'OnConnect_mine.sh');
      const tabOf = (uri: vscode.Uri): boolean =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      const shown: string[] = [];
      const watch = vscode.window.onDidChangeVisibleTextEditors((editors) => shown.push(...editors.map((e) => e.document.uri.toString())));
      try {
        const edit = new vscode.WorkspaceEdit();
        edit.createFile(mine, { contents: Buffer.from('#!/bin/sh\nlogger mine\n') });
        assert.equal(await vscode.workspace.applyEdit(edit), true, 'VS Code refused the edit');
        assert.ok(fs.existsSync(mine.fsPath));
        // Then a fix creates a script: Hooksmith opens that one, after the user's file was reported created.
        const profile = writeFile(
          0o644,
          '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
            '<ClientInitialization>\n    <OnConnectScript>OnConnect_fixed.sh</OnConnectScript>\n  </ClientInitialization>\n' +
            '</AnyConnectProfile>\n',
          'made-by-user',
          'fixed.xml',
        );
        await open(profile);
        const [missing] = await waitForDiagnostics(profile, (d) => d.some((x) => codeOf(x) === 'HS304'), 'HS304').then((d) =>
          d.filter((x) => codeOf(x) === 'HS304'),
        );
        const create = (await quickFixes(profile, missing.range)).find((a) => a.title === 'Create OnConnect_fixed.sh from a template');
        assert.ok(create, 'the create-script fix is offered');
        await apply(create);
        const fixed = workspaceFile('made-by-user', 'OnConnect_fixed.sh');
        await until(
          () => (vscode.window.activeTextEditor?.document.uri.toString() === fixed.toString() ? true : undefined),
          "the fix's script in the active editor",
        );
      } finally {
        watch.dispose();
      }
      assert.ok(!shown.includes(mine.toString()), `the user's file was shown: ${shown.join(', ')}`);
      assert.equal(tabOf(mine), false, "no tab for the user's file");
    },
  );

  test('Enter after an opening tag indents the new line; between a start and an end tag, the end tag moves down', async () => {
    const uri = writeFile(
      0o644,
      '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
        '<ClientInitialization>\n  <ServerList></ServerList>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
      'enter',
      'enter.xml',
    );
    const editor = await open(uri);
    assert.equal(editor.document.languageId, 'anyconnect-profile');
    const indentOf = (line: number): number => /^\s*/.exec(editor.document.lineAt(line).text)![0].length;

    editor.selection = new vscode.Selection(2, editor.document.lineAt(2).text.length, 2, editor.document.lineAt(2).text.length);
    await vscode.commands.executeCommand('type', { text: '\n' });
    assert.ok(
      indentOf(3) > indentOf(2),
      `the new line is indented deeper than <ClientInitialization>: ${JSON.stringify(editor.document.lineAt(3).text)}`,
    );

    const list = editor.document.lineAt(4).text.indexOf('</ServerList>');
    editor.selection = new vscode.Selection(4, list, 4, list);
    await vscode.commands.executeCommand('type', { text: '\n' });
    assert.ok(indentOf(5) > indentOf(4), `inside <ServerList>: ${JSON.stringify(editor.document.lineAt(5).text)}`);
    assert.equal(editor.document.lineAt(6).text.trim(), '</ServerList>');
    assert.equal(indentOf(6), indentOf(4), 'the end tag lines up with its start tag');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test("a rule link opens the rule's page as a rendered, read-only Markdown preview, not as an editable file", async () => {
    const uri = writeFile(
      0o644,
      '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
        '<ClientInitialization>\n    <AutoUpdate>yes</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
      'links',
      'links.xml',
    );
    await open(uri);
    const [invalid] = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'HS206'), 'HS206');
    const target = typeof invalid.code === 'object' ? invalid.code.target : undefined;
    assert.equal(target?.scheme, 'command', `the link is ${target?.toString()}`);
    assert.equal(target.path, 'markdown.showPreview');
    const [page] = JSON.parse(decodeURIComponent(target.query)) as vscode.Uri[];
    const doc = vscode.Uri.from(page);
    assert.match(doc.path, /\/docs\/rules\/HS206\.md$/);
    await vscode.commands.executeCommand(target.path, doc);
    const previews = (): vscode.Tab[] =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
    await until(() => (previews().length ? true : undefined), 'a Markdown preview tab');
    assert.ok(
      !vscode.window.visibleTextEditors.some((e) => e.document.uri.path.endsWith('/docs/rules/HS206.md')),
      'no text editor on the page',
    );
  });
});
