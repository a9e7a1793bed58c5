import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copyFixture, open, placed, setSetting, waitForDiagnostics, within } from './helpers';

// Restricted Mode: the profile is validated, while every way to simulate is refused and runs nothing.
suite('Simulation in an untrusted workspace', () => {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-untrusted-')), 'marker');
  let profile: vscode.Uri;

  suiteSetup(async () => {
    profile = vscode.Uri.joinPath(copyFixture('home-office'), 'home-office.xml');
    await setSetting('hooksmith.simulate', 'env', { E2E_MARKER: marker });
  });

  suiteTeardown(() => fs.rmSync(path.dirname(marker), { recursive: true, force: true }));

  test('the profile is validated while Simulate Connect is refused and runs no hook', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await open(profile);
    const notes = await waitForDiagnostics(profile, (d) => d.length === 3, 'the seed-dialect notes on home-office.xml');
    assert.deepEqual(
      placed(notes).map((p) => p.slice(0, 2)),
      [
        ['HS212', 4],
        ['HS212', 5],
        ['HS212', 6],
      ],
    );

    const report = await within(vscode.commands.executeCommand('hooksmith.simulateConnect'), 'the refused command');
    assert.equal(report, undefined, 'the command returned a report in Restricted Mode');
    const byTask = await within(
      vscode.commands.executeCommand('hooksmith.simulate.fromLens', { kind: 'anyconnect', events: ['connect'], profile: profile.fsPath }),
      'the refused lens command',
    );
    assert.equal(byTask, undefined);
    assert.equal(fs.existsSync(marker), false, 'a hook ran');
  });

  test('the server offers no simulate CodeLens, and refuses the simulate command itself, giving the reason', async () => {
    await open(profile);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', profile, 10);
    assert.deepEqual(
      lenses.filter((l) => l.command?.command === 'hooksmith.simulate.fromLens').map((l) => l.command?.title),
      [],
    );

    // Straight to the server, as any LSP client could send it.
    const request = { kind: 'anyconnect', events: ['connect'], profile: profile.fsPath };
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('hooksmith.server.simulate', request)),
      (e: Error) => /trust/i.test(e.message),
      'the server ran a simulation in Restricted Mode',
    );
    assert.equal(fs.existsSync(marker), false, 'a hook ran');
  });
});
