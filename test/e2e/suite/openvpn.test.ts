import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, copyFixture, open, placed, until, waitForDiagnostics } from './helpers';

// An OpenVPN client.conf opens as Properties (VS Code's language for .conf): the client hands it
// over, the server recognises it by its directives, lints it, wires updown.sh and puts lenses over
// its script directives.
suite('OpenVPN in VS Code', () => {
  // Copied in only now: *.ovpn and openvpn/**/*.conf are activation markers.
  let folder: vscode.Uri;
  suiteSetup(() => {
    folder = copyFixture('openvpn');
  });

  test('client.conf gets HS600 and HS603 on its directives, updown.sh is linted as up + down, and lenses sit over up', async () => {
    const config = vscode.Uri.joinPath(folder, 'client.conf');
    const script = vscode.Uri.joinPath(folder, 'updown.sh');
    const editor = await open(config);
    assert.equal(editor.document.languageId, 'properties');
    const onConfig = await waitForDiagnostics(config, (d) => d.length >= 3, 'client.conf linted');
    assert.deepEqual(
      placed(onConfig).sort((a, b) => a[1] - b[1] || String(a[0]).localeCompare(String(b[0]))),
      [
        ['HS600', 5, 0, 5, 2],
        ['HS600', 6, 0, 6, 4],
        ['HS603', 6, 0, 6, 4],
      ],
    );

    const lenses = await until(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', config);
      return found?.length ? found : undefined;
    }, 'CodeLenses over up');
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['▶ Simulate up then down', '▶ Simulate up', '▶ Simulate down'],
    );

    await open(script);
    const onScript = await waitForDiagnostics(script, (d) => d.some((x) => codeOf(x) === 'HS624'), 'updown.sh linted as an OpenVPN script');
    const misspelt = onScript.find((x) => codeOf(x) === 'HS624');
    assert.ok(misspelt);
    assert.deepEqual([misspelt.range.start.line, misspelt.range.start.character, misspelt.range.end.character], [5, 9, 19]);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('hooksmith.simulateOpenvpn'), "the family's simulate command is registered");
  });
});
