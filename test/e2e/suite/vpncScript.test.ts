import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { codeOf, copyFixture, open, until, waitForDiagnostics, within } from './helpers';

// The vpnc-script family in VS Code: a hook-folder file's finding and its fix, the lenses on the
// script, and its command running connect then disconnect (the shims record the routes).
suite('vpnc-script in VS Code', () => {
  // Copied in only now: its files are activation markers, and the first suite needs an inactive extension.
  let folder: vscode.Uri;
  suiteSetup(() => {
    folder = copyFixture('vpnc');
  });

  test('a connect.d file: exit is an error with a quick fix to return', async () => {
    const hook = vscode.Uri.joinPath(folder, 'connect.d', '10-office');
    await open(hook);
    const diagnostics = await waitForDiagnostics(hook, (d) => d.some((x) => codeOf(x) === 'HS552'), 'HS552 on connect.d/10-office');
    const exit = diagnostics.find((d) => codeOf(d) === 'HS552');
    assert.ok(exit);
    assert.deepEqual([exit.range.start.line, exit.range.start.character, exit.range.end.character], [1, 20, 24]);
    assert.equal(exit.severity, vscode.DiagnosticSeverity.Error);
    // The diagnostics can come from the workspace scan before the opened document's own validation,
    // whose fix is what is asked for: ask until the server's fix is there.
    let titles: string[] = [];
    await until(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', hook, exit.range);
      titles = actions.map((a) => a.title);
      return titles.includes('Replace exit with return') ? true : undefined;
    }, 'the quick fix Replace exit with return').catch((e: Error) => assert.fail(`${e.message}: ${JSON.stringify(titles)}`));
  });

  test('the script gets its lenses, and Simulate vpnc-script connect then disconnect runs both reasons', async () => {
    const script = vscode.Uri.joinPath(folder, 'vpnc-script');
    await open(script);
    const lenses = await until(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script, 10);
      const ours = all.filter((l) => l.command?.command === 'hooksmith.simulate.fromLens');
      return ours.length >= 2 ? ours : undefined;
    }, 'the simulate lenses on vpnc/vpnc-script');
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['▶ Simulate connect then disconnect', 'whole session'],
    );
    const report = await within(
      vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateVpncConnectDisconnect'),
      'the vpnc-script simulation',
    );
    assert.ok(report);
    assert.equal(report.kind, 'vpnc-script');
    assert.equal(report.ok, true, JSON.stringify(report, null, 1));
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.exitCode]),
      [
        ['connect', 0],
        ['disconnect', 0],
      ],
    );
    assert.deepEqual(
      report.runs.map((r) => r.commands.map((c) => c.argv.join(' '))),
      [['ip route add 10.20.0.0/16 dev tun0'], ['ip route del 10.20.0.0/16 dev tun0']],
    );
  });
});
