// The NetworkManager dispatcher family over stdio, as an editor sees it: findings at their place, a
// file NetworkManager refuses by owner, completion and hover of its variables, the CodeLenses and a
// simulation started with the request a lens carries.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeLens, CodeLensRequest, MarkupContent } from 'vscode-languageserver-protocol/node';
import type { SimulationReport } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-nm-'));
const write = fileWriter(work);
const dir = 'etc/NetworkManager/dispatcher.d';
const script = [
  '#!/bin/sh',
  'case "$2" in',
  '  vpn-up) ip rule add from 10.8.0.0/24 table 100 ;;',
  '  vpn-pre-down) logger "bye $VPN_IP_IFACE" ;;',
  'esac',
  '',
].join('\n');

suite('NetworkManager dispatcher over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a script with an up never undone and a pre-down it never receives: both at their place; its owner is refused', async () => {
    const uri = write(`${dir}/90-vpn`, script);
    fs.chownSync(fileURLToPath(uri), 1000, 1000);
    await client.open(uri, script, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]).sort(),
      [
        ['HS701', 0, 0, 9],
        ['HS706', 3, 2, 14],
        ['HS708', 2, 10, 48],
      ].sort(),
    );
    assert.ok(diagnostics.every((d) => d.codeDescription?.href.endsWith(`docs/rules/${String(d.code)}.md`)));
  });

  test('completion and hover of the variables NetworkManager sets', async () => {
    const text = '#!/bin/sh\necho "$VPN_IP_IFACE $CONNECTION_ID"\n';
    const uri = write(`${dir}/91-echo`, text);
    await client.open(uri, text, 1, 'shellscript');
    const items = await client.completion(uri, { line: 1, character: 8 });
    for (const name of [
      'NM_DISPATCHER_ACTION',
      'VPN_IP_IFACE',
      'IP4_ADDRESS_0',
      'CONNECTION_ID',
      'DHCP6_IP6_ADDRESS',
      'DHCP6_DHCP6_NAME_SERVERS',
    ])
      assert.ok(
        items.some((i) => i.label === name),
        name,
      );
    const hover = await client.hover(uri, { line: 1, character: 10 });
    assert.match((hover?.contents as MarkupContent).value, /VPN's own interface/);
  });

  test('CodeLenses on a script simulate its dispatcher.d folder; the request they carry runs over the wire', async () => {
    const text = '#!/bin/sh\necho "$1 $2"\n';
    const uri = write(`${dir}/92-lens`, text);
    await client.open(uri, text, 1, 'shellscript');
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['▶ Simulate vpn-up then vpn-down', 'up then down'],
    );
    const request = lenses[0].command?.arguments?.[0] as Record<string, unknown>;
    assert.deepEqual(request, { kind: 'nm-dispatcher', events: ['vpn-up', 'vpn-down'], dir: path.join(work, dir), timeoutMs: 600_000 });
    const report = (await client.executeCommand('hooksmith.server.simulate', { ...request, isolation: 'shims' })) as SimulationReport;
    const lens = report.runs.filter((r) => r.label.endsWith('92-lens'));
    assert.deepEqual(
      lens.map((r) => r.stdout),
      ['tun0 vpn-up\n', 'tun0 vpn-down\n'],
    );
    assert.ok(report.skipped.some((s) => s.label === 'vpn-up: 90-vpn' && /not owned by root/.test(s.reason)));
  });

  test("a raw simulate request without a timeout gets NetworkManager's 600 s, not the generic 60 s setting", async () => {
    const text = '#!/bin/sh\necho "$2"\n';
    write(`${dir}/93-raw`, text);
    const report = (await client.executeCommand('hooksmith.server.simulate', {
      kind: 'nm-dispatcher',
      events: ['up'],
      dir: path.join(work, dir),
      isolation: 'shims',
    })) as SimulationReport;
    assert.ok(report.notes.includes("Timeout: 600 s per script (NetworkManager's own)."), report.notes.join('\n'));
  });
});
