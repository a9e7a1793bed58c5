import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { codeOf, copyFixture, open, until, waitForDiagnostics, within } from './helpers';

// The NetworkManager dispatcher family in VS Code: a vpn-up change vpn-down never removes, at its
// command; the lenses at the top of the script, and its command running vpn-up then vpn-down.
suite('NetworkManager dispatcher in VS Code', () => {
  // Copied in only now: its files are activation markers, and the first suite needs an inactive extension.
  let script: vscode.Uri;
  suiteSetup(() => {
    script = vscode.Uri.joinPath(copyFixture('nm-dispatcher'), 'NetworkManager', 'dispatcher.d', '90-vpn');
  });

  test('an ip rule added on vpn-up and never removed on vpn-down: HS708 on that command', async () => {
    await open(script);
    const diagnostics = await waitForDiagnostics(script, (d) => d.some((x) => codeOf(x) === 'HS708'), 'HS708 on dispatcher.d/90-vpn');
    const left = diagnostics.filter((d) => codeOf(d) === 'HS708');
    assert.equal(left.length, 1, JSON.stringify(diagnostics.map((d) => [codeOf(d), d.message])));
    assert.deepEqual([left[0].range.start.line, left[0].range.start.character, left[0].range.end.character], [4, 2, 40]);
    assert.equal(left[0].severity, vscode.DiagnosticSeverity.Warning);
  });

  test('the script gets its lenses, and Simulate NetworkManager vpn-up then vpn-down runs its folder for both actions', async () => {
    await open(script);
    const lenses = await until(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script, 10);
      const ours = all.filter((l) => l.command?.command === 'hooksmith.simulate.fromLens');
      return ours.length >= 2 ? ours : undefined;
    }, 'the simulate lenses on dispatcher.d/90-vpn');
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['▶ Simulate vpn-up then vpn-down', 'up then down'],
    );
    const report = await within(
      vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateNmVpnUpDown'),
      'the NetworkManager dispatcher simulation',
    );
    assert.ok(report);
    assert.equal(report.kind, 'nm-dispatcher');
    assert.equal(report.ok, true, JSON.stringify(report, null, 1));
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.exitCode]),
      [
        ['vpn-up: 90-vpn', 0],
        ['vpn-down: 90-vpn', 0],
      ],
    );
    assert.deepEqual(
      report.runs.map((r) => r.commands.map((c) => c.argv.join(' '))),
      [['ip route add 10.20.0.0/16 dev tun0', 'ip rule add from 10.8.0.0/24 table 100'], ['ip route del 10.20.0.0/16']],
    );
  });

  test("a keybinding's args give the command any field the family declares: the actions, the interface, an IPv4-only stack", async () => {
    const dir = vscode.Uri.joinPath(script, '..').fsPath;
    const args = { dir, events: ['vpn-up'], interface: 'wg7', stack: 'ipv4' };
    const report = await within(
      vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateNmVpnUpDown', args),
      'the NetworkManager dispatcher simulation from keybinding args',
    );
    assert.ok(report);
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.commands.map((c) => c.argv.join(' '))]),
      [['vpn-up: 90-vpn', ['ip route add 10.20.0.0/16 dev wg7', 'ip rule add from 10.8.0.0/24 table 100']]],
    );
    const env = (report.runs[0] as { env?: Record<string, string> }).env ?? {};
    assert.equal(env.VPN_IP4_ADDRESS_0, '10.8.0.42/24 10.8.0.1');
    assert.equal(env.VPN_IP6_ADDRESS_0, undefined, 'stack ipv4: no IPv6 variable');
  });
});
