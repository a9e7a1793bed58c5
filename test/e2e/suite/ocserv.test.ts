import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, open, placed, until, waitForDiagnostics, workspaceFile } from './helpers';

// ocserv.conf opens as Properties (VS Code's language for .conf): the client must hand it over,
// and the server recognises it, lints it, wires its scripts and puts lenses over their keys.
suite('ocserv in VS Code', () => {
  test(
    'ocserv.conf gets its findings, the script it names is linted as an ocserv script, and simulate lenses sit over ' + 'connect-script',
    async () => {
      const config = workspaceFile('vpn-server', 'ocserv.conf');
      const script = workspaceFile('vpn-server', 'login-hook');
      // Written through VS Code: mode 644, so ocserv's exec would fail on it.
      await vscode.workspace.fs.writeFile(script, Buffer.from('#!/bin/sh\niptables -A FORWARD -s "$IP_REMOTE" -j ACCEPT\nexit 0\n'));
      await vscode.workspace.fs.writeFile(
        config,
        Buffer.from(
          'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/login-hook\n[vhost:b.example]\ndisconnect-script = /etc/ocserv/x\n',
        ),
      );

      const editor = await open(config);
      assert.equal(editor.document.languageId, 'properties');
      const onConfig = await waitForDiagnostics(config, (d) => d.length >= 2, 'ocserv.conf linted');
      assert.deepEqual(placed(onConfig), [
        ['HS505', 2, 17, 2, 39],
        ['HS503', 4, 0, 4, 17],
      ]);

      const lenses = await until(async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', config);
        return found?.length ? found : undefined;
      }, 'CodeLenses over connect-script');
      assert.deepEqual(
        lenses.map((l) => l.command?.title),
        ['▶ Simulate connect then disconnect', '▶ Simulate connect'],
      );

      await open(script);
      const onScript = await waitForDiagnostics(
        script,
        (d) => d.some((x) => codeOf(x) === 'HS528') && d.some((x) => codeOf(x) === 'HS526'),
        'the wired script linted as an ocserv connect script',
      );
      assert.deepEqual(
        placed(onScript).map((p) => p[0]),
        ['HS528', 'HS526'],
      );
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes('hooksmith.simulateOcserv'), "the family's simulate command is registered");
    },
  );
});
