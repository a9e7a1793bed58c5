import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeAction, CodeActionRequest, CodeLens, CodeLensRequest, Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-wg-'));
const write = fileWriter(work);

// A server config with the masipcat/wireguard-go-docker#14 slip, a stray quote, and a ShellCheck finding after %i.
const config = [
  '[Interface]',
  'Address = 10.99.0.1/24',
  'PrivateKey = cHJpdmF0ZQ==',
  'PostUp = iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE',
  'PostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE',
  '   PreUp =  logger "wg up',
  'PostUp = ip link set %i mtu $1',
  'PostUp = /etc/wireguard/notify.sh %i',
  '',
].join('\n');
const notify = '#!/bin/bash\nlogger -t wg "%i is up"\n';
const at = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]);

suite('wg-quick over stdio', () => {
  let client: LspClient;
  const uri = pathToFileURL(path.join(work, 'wireguard/wg0.conf')).toString();
  before(async () => {
    write('wireguard/notify.sh', notify);
    write('wireguard/wg0.conf', config, 0o600);
    client = await LspClient.start(work, undefined, true, { initializationOptions: { workspaceTrusted: true } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("wg0.conf (a Properties document) gets Hooksmith's findings and ShellCheck's inside its values, at their columns", async () => {
    const checked = client.diagnostics(uri, (d) => d.some((x) => x.source === 'shellcheck'));
    await client.open(uri, config, 1, 'properties');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(at(diagnostics.filter((d) => d.source === 'hooksmith')), [
      ['HS654', 4, 11, 63],
      ['HS652', 5, 19, 20],
    ]);
    const shellcheck = (await checked).diagnostics.filter((d) => d.source === 'shellcheck');
    assert.deepEqual(at(shellcheck), [['SC2086', 6, 28, 30]]);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: shellcheck[0].range,
      context: { diagnostics: shellcheck },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix SC2086'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const doc = TextDocument.create(uri, 'properties', 1, config);
    assert.match(TextDocument.applyEdits(doc, fix.edit?.changes?.[uri] ?? []), /^PostUp = ip link set %i mtu "\$1"$/m);
  });

  test('the script a PostUp line runs is linted as a wg-quick hook script', async () => {
    const script = pathToFileURL(path.join(work, 'wireguard/notify.sh')).toString();
    await client.open(script, notify, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(script, 1);
    assert.deepEqual(at(diagnostics.filter((d) => d.source === 'hooksmith')), [['HS660', 1, 14, 16]]);
  });

  test('completion in a hook line offers %i; hover on a hook key says when it runs, on a script argument what it is', async () => {
    const items = await client.completion(uri, { line: 6, character: 22 });
    assert.ok(
      items.some((i) => i.label === '%i'),
      JSON.stringify(items.map((i) => i.label)),
    );
    const hover = await client.hover(uri, { line: 4, character: 3 });
    assert.match(JSON.stringify(hover?.contents), /PostDown.*after the interface is deleted/);
    const arg = await client.hover(uri, { line: 7, character: 35 });
    assert.match(JSON.stringify(arg?.contents), /\*\*\$1\*\* of notify\.sh · `wg0` \(written `%i`\)/);
  });

  test('HS655 offers its fix in the editor: the quoted "wg3" becomes "%i", quotes kept', async () => {
    const named = 'PostUp = nft add rule inet filter forward iifname "wg3" accept\n';
    const text = `[Interface]\nAddress = 10.99.0.1/24\n${named}PostDown = nft flush chain inet filter forward\n`;
    write('wireguard/wg3.conf', text, 0o600);
    const wg3 = pathToFileURL(path.join(work, 'wireguard/wg3.conf')).toString();
    await client.open(wg3, text, 1, 'properties');
    const hs655 = (await client.forVersion(wg3, 1)).diagnostics.filter((d) => d.code === 'HS655');
    assert.deepEqual(at(hs655), [['HS655', 2, 51, 54]]);
    const fix = (await client.codeActions(wg3, hs655)).find((a) => a.title === 'Replace wg3 with %i');
    assert.ok(fix, 'the quick fix is offered');
    await client.applyCodeAction(fix);
    assert.match(client.documents.get(wg3)?.getText() ?? '', /^PostUp = nft add rule inet filter forward iifname "%i" accept$/m);
  });

  test('CodeLenses over the hook keys start a simulation of the config', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [3, '▶ Simulate wg-quick up then down'],
        [3, 'up'],
        [4, 'down'],
      ],
    );
    assert.deepEqual(lenses[0].command?.arguments?.[0], {
      kind: 'wg-quick',
      events: ['up', 'down'],
      config: path.join(work, 'wireguard/wg0.conf'),
    });
  });

  test("a simulation of the config runs the workspace's copy of a script at its server path, not the server's own", async () => {
    // /etc/wireguard/hooks/up.sh lies under the workspace folder (a repository mirroring /etc), not beside the config.
    write('etc/wireguard/hooks/up.sh', '#!/bin/sh\nlogger "hooked $1"\n');
    write('deploy/wg1.conf', '[Interface]\nAddress = 10.98.0.1/24\nPostUp = /etc/wireguard/hooks/up.sh %i\n', 0o600);
    assert.notEqual(process.cwd(), work);
    const report = await client.simulateConfig('wg-quick', ['up'], path.join(work, 'deploy/wg1.conf'));
    const calls = report.runs.flatMap((r) => r.commands.map((c) => c.argv.join(' ')));
    assert.ok(calls.includes('logger hooked wg1'), calls.join('\n'));
  });
});
