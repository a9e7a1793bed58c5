import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeLens, CodeLensRequest } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-ocserv-'));
const write = fileWriter(work);

const badProfile =
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
  '<ClientInitialization>\n    <AutoUpdate>maybe</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n';
const config =
  'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/up\ndisconnect-script = /etc/ocserv/down\nuser-profile = profile.xml\n';
const up = '#!/bin/sh\niptables -A FORWARD -s "$IP_REMOTE" -j ACCEPT\nexit 0\n';

suite('ocserv over stdio', () => {
  let client: LspClient;
  before(async () => {
    write('server/up', up);
    write('server/down', '#!/bin/sh\nlogger "bye $USERNAME"\n');
    write('server/profile.xml', badProfile, 0o644);
    write('server/ocserv.conf', config, 0o644);
    client = await LspClient.start(work, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("ocserv.conf (a Properties document) gets its findings, with the profile's problems as related locations", async () => {
    const uri = pathToFileURL(path.join(work, 'server/ocserv.conf')).toString();
    await client.open(uri, config, 1, 'properties');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['HS507', 4, 15, 26]],
    );
    const [related] = diagnostics[0].relatedInformation ?? [];
    assert.equal(related.location.uri, pathToFileURL(path.join(work, 'server/profile.xml')).toString());
    assert.equal(related.location.range.start.line, 3);
    assert.match(related.message, /^HS\d{3}: /);
  });

  test('in ocserv.conf, hover over a script key says when the script runs; a new line completes keys, script keys first', async () => {
    const uri = pathToFileURL(path.join(work, 'server/ocserv.conf')).toString();
    const hover = await client.hover(uri, { line: 2, character: 3 });
    const said = JSON.stringify(hover?.contents);
    assert.match(said, /connect-script/);
    assert.match(said, /0 admits the user; anything else \(or a signal\) refuses the login/);
    assert.deepEqual(hover?.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 14 } });
    assert.match(JSON.stringify((await client.hover(uri, { line: 1, character: 2 }))?.contents), /tcp-port\*\*: an ocserv 1\.x option/);
    const items = await client.completion(uri, { line: 5, character: 0 });
    assert.deepEqual(
      items.slice(0, 3).map((i) => [i.label, i.insertText ?? i.textEdit?.newText]),
      [
        ['connect-script', 'connect-script = '],
        ['disconnect-script', 'disconnect-script = '],
        ['host-update-script', 'host-update-script = '],
      ],
    );
    assert.ok(items.some((i) => i.label === 'restrict-user-to-ports'));
    assert.deepEqual(await client.completion(uri, { line: 1, character: 12 }), [], 'inside a value: nothing');
  });

  test('a script the config names, under a name no family knows, is linted as an ocserv connect script', async () => {
    const uri = pathToFileURL(path.join(work, 'server/up')).toString();
    await client.open(uri, up, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['HS526', 1, 0]],
    );
    assert.match(String(diagnostics[0].message), /neither this script's disconnect path nor down removes it/);
    const items = await client.completion(uri, { line: 1, character: 25 });
    assert.ok(
      items.some((i) => i.label === 'IP_REMOTE'),
      'completion of the variables ocserv sets',
    );
  });

  test('the CodeLens at the top of a script the config wires runs it with that config (its restrictions, its session)', async () => {
    const uri = pathToFileURL(path.join(work, 'server/up')).toString();
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.arguments?.[0]]),
      [
        [
          '▶ Simulate ocserv connect',
          { kind: 'ocserv', events: ['connect'], script: path.join(work, 'server/up'), config: path.join(work, 'server/ocserv.conf') },
        ],
      ],
    );
  });

  test('CodeLenses over connect-script start a simulation of the config', async () => {
    const uri = pathToFileURL(path.join(work, 'server/ocserv.conf')).toString();
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    const titles = lenses.map((l) => [l.range.start.line, l.command?.title]);
    assert.deepEqual(titles, [
      [2, '▶ Simulate connect then disconnect'],
      [2, '▶ Simulate connect'],
      [3, '▶ Simulate disconnect'],
    ]);
    assert.deepEqual(lenses[0].command?.arguments?.[0], {
      kind: 'ocserv',
      events: ['connect', 'disconnect'],
      config: path.join(work, 'server/ocserv.conf'),
    });
  });

  test('a simulation of the config finds a script through hooksmith.hooks.serverPaths, as the diagnostics do', async () => {
    write('deploy/hooks/logout', '#!/bin/sh\nlogger "bye $USERNAME"\n');
    write('mapped/ocserv.conf', 'auth = plain\ntcp-port = 443\nconnect-script = /srv/ocserv/logout\n', 0o644);
    client.settings = { shellcheck: { enable: false }, hooks: { serverPaths: { '/srv/ocserv': 'deploy/hooks' } } };
    await client.configurationChanged();
    const report = await client.simulateConfig('ocserv', ['connect'], path.join(work, 'mapped/ocserv.conf'));
    assert.deepEqual(report.skipped, []);
    assert.equal(report.runs[0].script, path.join(work, 'deploy/hooks/logout'));
    assert.deepEqual(report.runs[0].commands[0].argv, ['logger', 'bye jdoe']);
  });

  test("a simulation of the config finds a script at its server path under the workspace folder, not the server's own", async () => {
    // The diagnostics find /etc/ocserv/hello under the workspace folder; the server runs elsewhere (here: the test's cwd).
    write('etc/ocserv/hello', '#!/bin/sh\nlogger "hello $USERNAME"\nexit 0\n');
    write('deploy/ocserv.conf', 'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/hello\n', 0o644);
    assert.notEqual(process.cwd(), work);
    const report = await client.simulateConfig('ocserv', ['connect'], path.join(work, 'deploy/ocserv.conf'));
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(
      report.runs.map((r) => [r.label, r.script]),
      [['connect: login accepted', path.join(work, 'etc/ocserv/hello')]],
    );
  });

  test("a hook test run through the server finds the config's script under the workspace folder, as the linter does", async () => {
    write('etc/ocserv/greet', '#!/bin/sh\nlogger "greet $USERNAME"\nexit 0\n');
    write('tests/ocserv.conf', 'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/greet\n', 0o644);
    const spec = write(
      'tests/login.hooktest.yaml',
      [
        'tests:',
        '  - name: login greets',
        '    family: ocserv',
        '    config: ocserv.conf',
        '    events: [connect]',
        '    isolation: shims',
        '    expect:',
        '      connect:',
        '        commands:',
        '          contains: [logger "greet *"]',
        '',
      ].join('\n'),
      0o644,
    );
    assert.notEqual(process.cwd(), work);
    const run = (await client.executeCommand('hooksmith.server.runHookTests', { uri: spec })) as {
      results: { name: string; status: string; failures: { message: string }[] }[];
    };
    assert.deepEqual(
      run.results.map((r) => [r.name, r.status, r.failures.map((f) => f.message)]),
      [['login greets', 'passed', []]],
    );
  });
});
