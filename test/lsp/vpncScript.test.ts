// The vpnc-script family over stdio, as an editor meets it: findings at their place in a hook-folder
// file and their fix, completion of openconnect's variables, and a script recognised through the
// systemd unit beside it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { MarkupContent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-vpnc-'));
const write = (rel: string, text: string, mode = 0o755): string => {
  const file = path.join(work, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return pathToFileURL(file).toString();
};

suite('vpnc-script over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work);
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a connect.d file: exit, $REASON and a shebang at their places; the exit fix writes return', async () => {
    const text = '#!/bin/sh\n[ "$REASON" = connect ] || exit 0\n';
    const uri = write('vpnc/connect.d/10-office', text, 0o644);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [
      ['HS551', 1, 4, 10],
      ['HS553', 0, 0, 9],
      ['HS552', 1, 27, 31],
    ].sort((a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number)));
    const exit = diagnostics.find((d) => d.code === 'HS552');
    assert.ok(exit);
    const [fix] = await client.codeActions(uri, [exit]);
    assert.equal(fix.title, 'Replace exit with return');
    const edits = Object.values((fix.edit as WorkspaceEdit).changes ?? {})[0] ?? (fix.edit as { documentChanges: { edits: TextEdit[] }[] }).documentChanges[0].edits;
    assert.deepEqual(edits.map((e) => e.newText), ['return']);
  });

  test('completion in a vpnc-script: openconnect\'s variables with the reasons that set them', async () => {
    const text = '#!/bin/sh\nip addr add "$INTERNAL_IP4_\n';
    const uri = write('vpnc/vpnc-script', text);
    await client.open(uri, text, 1, 'shellscript');
    const items = await client.completion(uri, { line: 1, character: 27 });
    const labels = items.map((i) => i.label);
    assert.ok(['INTERNAL_IP4_ADDRESS', 'INTERNAL_IP4_DNS', 'INTERNAL_IP4_NETMASKLEN', 'CISCO_SPLIT_INC_0_ADDR', 'reason'].every((l) => labels.includes(l)), labels.join(' '));
    const address = items.find((i) => i.label === 'INTERNAL_IP4_ADDRESS');
    assert.match((address?.documentation as MarkupContent).value, /Set for connect, attempt-reconnect, reconnect, disconnect\.[\s\S]*`10\.8\.0\.42`/);
  });

  test('a script named only by the unit beside it gets the family\'s findings', async () => {
    write('units/office.service', '[Service]\nExecStart=/usr/sbin/openconnect -s /etc/openconnect/routes vpn.example.com\n', 0o644);
    const text = '#!/bin/sh\ncase "$reason" in\n  connect|disconnect) ;;\n  *) exit 1 ;;\nesac\n';
    const uri = write('units/routes', text);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['HS550', 1, 0]]);
  });
});
