import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeLens, CodeLensRequest, ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import type { SimulationReport } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-openvpn-'));
const write = fileWriter(work);

const config = 'client\ndev tun\nremote vpn.example.com 1194\nup "scripts/updown.sh lab"\ndown "scripts/updown.sh lab"\n';
const updown =
  '#!/bin/sh\ncase "$script_type" in\nup) ip route add 10.20.0.0/16 dev "$2" ;;\ndown) ip route del 10.20.0.0/16 dev "$2" ;;\nesac\n' +
  'echo "$8" "$comon_name"\nexit 0\n';

suite('OpenVPN over stdio', () => {
  let client: LspClient;
  before(async () => {
    write('vpn/scripts/updown.sh', updown);
    write('vpn/client.ovpn', config, 0o644);
    client = await LspClient.start(work, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the config (a Plain Text document) gets HS600 on each script directive without script-security 2', async () => {
    const uri = pathToFileURL(path.join(work, 'vpn/client.ovpn')).toString();
    await client.open(uri, config, 1, 'plaintext');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['HS600', 3, 0, 2],
        ['HS600', 4, 0, 4],
      ],
    );
  });

  test('HS600 offers its fix: script-security 2 before the first script directive, or the last level raised to 2', async () => {
    const fixed = async (name: string, original: string): Promise<[string | undefined, string]> => {
      write(`vpn/${name}`, original, 0o644);
      const uri = pathToFileURL(path.join(work, `vpn/${name}`)).toString();
      await client.open(uri, original, 1, 'plaintext');
      const hs600 = (await client.forVersion(uri, 1)).diagnostics.filter((d) => d.code === 'HS600');
      const action = (await client.codeActions(uri, hs600.slice(-1)))[0];
      if (action) await client.applyCodeAction(action);
      const after = (await client.forVersion(uri, 2)).diagnostics.filter((d) => d.code === 'HS600');
      const text = client.documents.get(uri)?.getText();
      await client.close(uri);
      return [action?.title, `${text}${after.length} HS600`];
    };
    assert.deepEqual(await fixed('missing.ovpn', config), [
      'Add script-security 2',
      'client\ndev tun\nremote vpn.example.com 1194\nscript-security 2\nup "scripts/updown.sh lab"\ndown "scripts/updown.sh lab"\n0 HS600',
    ]);
    const low = 'client\r\n--script-security 1 system\r\nscript-security 0\r\nup scripts/updown.sh\r\n';
    assert.deepEqual(await fixed('low.ovpn', low), [
      'Raise script-security 0 to 2',
      'client\r\n--script-security 1 system\r\nscript-security 2\r\nup scripts/updown.sh\r\n0 HS600',
    ]);
  });

  test('in the config, hover over a script directive says what OpenVPN appends; a new line completes directives', async () => {
    const uri = pathToFileURL(path.join(work, 'vpn/client.ovpn')).toString();
    const hover = await client.hover(uri, { line: 4, character: 1 });
    const text = JSON.stringify(hover?.contents);
    assert.match(text, /script-security 2/);
    assert.match(text, /after the privilege drop/);
    assert.match(text, /init or restart/);
    assert.deepEqual(hover?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
    const items = await client.completion(uri, { line: 5, character: 0 });
    assert.deepEqual(
      items.slice(0, 3).map((i) => i.label),
      ['tls-verify', 'auth-user-pass-verify', 'client-connect'],
    );
    assert.ok(items.some((i) => i.label === 'script-security'));
    assert.deepEqual(await client.completion(uri, { line: 3, character: 10 }), [], 'inside a value: nothing');
  });

  test("the script the config names (with its own word) is linted as up + down: $8 is beyond OpenVPN's 7 arguments", async () => {
    const uri = pathToFileURL(path.join(work, 'vpn/scripts/updown.sh')).toString();
    await client.open(uri, updown, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['HS621', 5, 6, 8],
        ['HS624', 5, 12, 22],
      ],
    );
    const items = await client.completion(uri, { line: 5, character: 14 });
    assert.ok(
      items.some((i) => i.label === 'common_name') && items.some((i) => i.label === 'config'),
      'completion of the variables OpenVPN sets',
    );
    const hover = await client.hover(uri, { line: 1, character: 9 });
    assert.match(JSON.stringify(hover?.contents), /user-pass-verify/);
  });

  test('hover over $2 in that script: the device (after the word the directive passes first); $ completes $1...$7 too', async () => {
    const uri = pathToFileURL(path.join(work, 'vpn/scripts/updown.sh')).toString();
    const hover = await client.hover(uri, { line: 2, character: 36 });
    assert.deepEqual(hover?.range, { start: { line: 2, character: 35 }, end: { line: 2, character: 37 } });
    assert.match(JSON.stringify(hover?.contents), /`up`, `down`: the tun\/tap device, as `\$dev`/);
    const eighth = await client.hover(uri, { line: 5, character: 7 });
    assert.match(JSON.stringify(eighth?.contents), /OpenVPN passes 7 argument\(s\) here: \$8 is always empty/);
    const items = await client.completion(uri, { line: 5, character: 7 });
    assert.ok(items.some((i) => i.label === 'ifconfig_local'));
    assert.deepEqual(
      items.filter((i) => /^\d+$/.test(i.label)).map((i) => i.label),
      ['1', '2', '3', '4', '5', '6', '7'],
    );
  });

  test('CodeLenses over up start a simulation of the config, which runs through the server', async () => {
    const uri = pathToFileURL(path.join(work, 'vpn/client.ovpn')).toString();
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [3, '▶ Simulate up then down'],
        [3, '▶ Simulate up'],
        [4, '▶ Simulate down'],
      ],
    );
    const request = { ...(lenses[0].command?.arguments?.[0] as object), isolation: 'shims' };
    assert.deepEqual(request, { kind: 'openvpn', events: ['up', 'down'], config: path.join(work, 'vpn/client.ovpn'), isolation: 'shims' });
    const report = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'hooksmith.server.simulate',
      arguments: [request],
    })) as SimulationReport;
    assert.equal(report.runs.length, 0, 'OpenVPN refuses the scripts: no script-security 2');
    assert.match(report.skipped[0].reason, /script-security 1/);
  });

  test("a simulation of the config finds a script at its server path under the workspace folder, not the server's own", async () => {
    // The linter finds /etc/openvpn/hello.sh under the workspace folder (a repository mirroring /etc); so must the simulation,
    // although the server runs elsewhere (here: the test's working folder).
    write('etc/openvpn/hello.sh', '#!/bin/sh\nlogger "up $1"\nexit 0\n');
    write('deploy/client.conf', 'client\ndev tun\nscript-security 2\nup /etc/openvpn/hello.sh\n', 0o644);
    assert.notEqual(process.cwd(), work);
    const report = await client.simulateConfig('openvpn', ['up'], path.join(work, 'deploy/client.conf'));
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(
      report.runs.map((r) => [r.script, r.commands.map((c) => c.argv.join(' '))]),
      [[path.join(work, 'etc/openvpn/hello.sh'), ['logger up tun0']]],
    );
  });
});

suite('OpenVPN over stdio, a fresh server', () => {
  test('completion and hover in a script that only the config names, asked for at once after start-up, know it as OpenVPN up', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-openvpn-first-'));
    const put = fileWriter(root);
    put('vpn/scripts/updown.sh', updown);
    put('vpn/client.ovpn', config, 0o644);
    const client = await LspClient.start(root, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.settings = { shellcheck: { enable: false } };
    try {
      const uri = pathToFileURL(path.join(root, 'vpn/scripts/updown.sh')).toString();
      await client.open(uri, updown, 1, 'shellscript');
      // Asked before the workspace scan has read client.ovpn: the name alone makes it no hook of any family.
      const [items, hover] = await Promise.all([
        client.completion(uri, { line: 5, character: 14 }),
        client.hover(uri, { line: 2, character: 36 }),
      ]);
      assert.ok(
        items.some((i) => i.label === 'common_name'),
        `completion of OpenVPN's variables: ${items.map((i) => i.label).join(' ')}`,
      );
      assert.match(JSON.stringify(hover?.contents), /argument 2 that OpenVPN passes to the `up` and `down` hooks/);
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
