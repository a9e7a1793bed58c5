import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { MarkupContent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';
import { runawayShell } from '../helpers/runawayShell';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-hooks-'));
const write = fileWriter(work);

suite('hook scripts over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work);
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a Shorewall run-time hook gets its content findings at the exact place', async () => {
    write('shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
    const text = '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\niptables -A INPUT -i tun0 -j ACCEPT\n';
    const uri = write('shorewall/start', text, 0o644);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['HS440', 2, 2, 6],
        ['HS443', 4, 0, 8],
      ],
    );
  });

  test('a file-level finding sits on the first line', async () => {
    const text = '#!/bin/sh\nlogger up\n';
    const uri = write('vpn/onconnect_up.sh', text);
    await client.open(uri, text, 1, 'shellscript');
    const [d] = (await client.forVersion(uri, 1)).diagnostics;
    assert.equal(d.code, 'HS401');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
  });

  test('saving the OnDisconnect hook updates the open OnConnect hook', async () => {
    const connect = '#!/bin/sh\nip route add 10.8.0.0/16 via 10.0.0.1 dev tun0\n';
    const connectUri = write('ac/OnConnect_routes.sh', connect);
    const disconnectText = '#!/bin/sh\nlogger down\n';
    const disconnectUri = write('ac/OnDisconnect_routes.sh', disconnectText);
    await client.open(connectUri, connect, 1, 'shellscript');
    assert.deepEqual(
      (await client.forVersion(connectUri, 1)).diagnostics.map((d) => d.code),
      ['HS452'],
    );

    await client.open(disconnectUri, disconnectText, 1, 'shellscript');
    await client.forVersion(disconnectUri, 1);
    const undo = '#!/bin/sh\nip route del 10.8.0.0/16\nlogger down\n';
    const cleared = client.diagnostics(connectUri, (d) => d.length === 0);
    await client.change(disconnectUri, 2, [{ text: undo }]);
    write('ac/OnDisconnect_routes.sh', undo);
    await client.save(disconnectUri);
    await cleared;
  });

  test('an ordinary shell script is not a hook: nothing is published', async () => {
    const text = '#!/bin/sh\nexit 1\n';
    const uri = write('tools/build.sh', text);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(diagnostics, []);
  });

  test('a hook nested too deeply for the parser gets one HS460, and the next hook is checked by a fresh parser', async () => {
    const deep = `#!/bin/sh\n<<EOF\n${'if x\n'.repeat(5000)}if a; then $c\n`;
    const deepUri = write('deep/OnConnect_deep.sh', deep);
    await client.open(deepUri, deep, 1, 'shellscript');
    const [fault] = (await client.forVersion(deepUri, 1)).diagnostics;
    assert.equal(fault.code, 'HS460');
    assert.match(String(fault.message), /nests deeper than the parser can follow/);
    assert.deepEqual(fault.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
    const text = '#!/bin/sh\nip route add 10.8.0.0/16 via 10.0.0.1 dev tun0\n';
    const uri = write('deep2/OnConnect_routes.sh', text);
    await client.open(uri, text, 1, 'shellscript');
    const [undo] = (await client.forVersion(uri, 1)).diagnostics;
    assert.equal(undo.code, 'HS452', 'content rules run again');
    assert.deepEqual(undo.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 46 } });
  });

  test('a hook the parser would never finish gets one HS460 on its first line, and the server answers the next hook', async () => {
    const stuck = `#!/bin/sh\n${runawayShell(64)}`;
    const stuckUri = write('runaway/OnConnect_stuck.sh', stuck);
    await client.open(stuckUri, stuck, 1, 'shellscript');
    const text = '#!/bin/sh\nip route add 10.8.0.0/16 via 10.0.0.1 dev tun0\n';
    const uri = write('runaway2/OnConnect_routes.sh', text);
    await client.open(uri, text, 1, 'shellscript');
    const [gaveUp, ...others] = (await client.forVersion(stuckUri, 1)).diagnostics;
    assert.deepEqual(others, []);
    assert.equal(gaveUp.code, 'HS460');
    assert.match(String(gaveUp.message), /gave up on this file after [0-9,]+ steps/);
    assert.deepEqual(gaveUp.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
    const [undo] = (await client.forVersion(uri, 1)).diagnostics;
    assert.equal(undo.code, 'HS452', 'content rules run on the next hook');
  });

  test('a connect.d file: exit, $REASON and a shebang at their places; the exit fix writes return', async () => {
    const text = '#!/bin/sh\n[ "$REASON" = connect ] || exit 0\n';
    const uri = write('vpnc/connect.d/10-office', text, 0o644);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['HS551', 1, 4, 10],
        ['HS553', 0, 0, 9],
        ['HS552', 1, 27, 31],
      ].sort((a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number)),
    );
    const exit = diagnostics.find((d) => d.code === 'HS552');
    assert.ok(exit);
    const [fix] = await client.codeActions(uri, [exit]);
    assert.equal(fix.title, 'Replace exit with return');
    const edits =
      Object.values((fix.edit as WorkspaceEdit).changes ?? {})[0] ??
      (fix.edit as { documentChanges: { edits: TextEdit[] }[] }).documentChanges[0].edits;
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['return'],
    );
  });

  test("completion in a vpnc-script: openconnect's variables with the reasons that set them", async () => {
    const text = '#!/bin/sh\nip addr add "$INTERNAL_IP4_\n';
    const uri = write('vpnc/vpnc-script', text);
    await client.open(uri, text, 1, 'shellscript');
    const items = await client.completion(uri, { line: 1, character: 27 });
    const labels = items.map((i) => i.label);
    assert.ok(
      ['INTERNAL_IP4_ADDRESS', 'INTERNAL_IP4_DNS', 'INTERNAL_IP4_NETMASKLEN', 'CISCO_SPLIT_INC_0_ADDR', 'reason'].every((l) =>
        labels.includes(l),
      ),
      labels.join(' '),
    );
    // openconnect prepares the session's variables before pre-init (library.c); only TUNDEV waits for the device.
    const address = items.find((i) => i.label === 'INTERNAL_IP4_ADDRESS');
    assert.match((address?.documentation as MarkupContent).value, /Set for every reason\.[\s\S]*`10\.8\.0\.42`/);
    const device = items.find((i) => i.label === 'TUNDEV');
    assert.match((device?.documentation as MarkupContent).value, /Set for connect, attempt-reconnect, reconnect, disconnect\./);
  });

  test("a script named only by the unit beside it gets the family's findings", async () => {
    write('units/office.service', '[Service]\nExecStart=/usr/sbin/openconnect -s /etc/openconnect/routes vpn.example.com\n', 0o644);
    const text = '#!/bin/sh\ncase "$reason" in\n  connect|disconnect) ;;\n  *) exit 1 ;;\nesac\n';
    const uri = write('units/routes', text);
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['HS550', 1, 0]],
    );
  });
});
