import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, copyFixture, open, until, waitForDiagnostics } from './helpers';

// The wg-quick family in VS Code: a .conf (opened as Properties) with a PostDown that leaves out
// the -s match of its PostUp shows the warning at the column of that command inside the value.
suite('wg-quick in VS Code', () => {
  // Copied in only now: a .conf with [Interface] is an activation marker, and the first suite needs an inactive extension.
  let folder: vscode.Uri;
  suiteSetup(() => {
    folder = copyFixture('wg-quick');
  });

  test('a PostDown mismatch is a warning at its column inside the value, and lenses sit over the hook lines', async () => {
    const config = vscode.Uri.joinPath(folder, 'wg0.conf');
    const editor = await open(config);
    assert.equal(editor.document.languageId, 'properties');
    const diagnostics = await waitForDiagnostics(config, (d) => d.some((x) => codeOf(x) === 'HS654'), 'HS654 on wg0.conf');
    const mismatch = diagnostics.find((d) => codeOf(d) === 'HS654');
    assert.ok(mismatch);
    assert.deepEqual(
      [mismatch.range.start.line, mismatch.range.start.character, mismatch.range.end.line, mismatch.range.end.character],
      [4, 48, 4, 100],
    );
    assert.equal(editor.document.getText(mismatch.range), 'iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE');
    assert.equal(mismatch.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(mismatch.message, /lacks -s 10\.99\.0\.0\/24/);

    const lenses = await until(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', config);
      return found?.length ? found : undefined;
    }, 'CodeLenses over the hook lines');
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [3, '▶ Simulate wg-quick up then down'],
        [3, 'up'],
        [4, 'down'],
      ],
    );
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('hooksmith.simulateWgQuick'), "the family's simulate command is registered");
  });
});
