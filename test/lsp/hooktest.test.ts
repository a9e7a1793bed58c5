import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import {
  CancellationTokenSource,
  CodeLens,
  CodeLensRequest,
  ExecuteCommandRequest,
  MarkupContent,
} from 'vscode-languageserver-protocol/node';
import type { HookTestList, HookTestOutput, HookTestRun } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';

const command = 'hooksmith.server.runHookTests';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-test-'));
const spec = path.join(dir, 'vpn.hooktest.yaml');
const uri = pathToFileURL(spec).toString();
const specText = `tests:
  - name: connect adds the route
    family: anyconnect
    scripts: scripts
    events: [connect]
    isolation: shims
    expect:
      connect:
        exit: 0
        stdout: up
        commands: [ip route add 192.168.100.0/24 *]
  - name: the route is elsewhere
    family: anyconnect
    scripts: scripts
    events: [connect]
    isolation: shims
    expect:
      commands: [ip route add 10.0.0.0/8 *]
  - name: slow
    family: anyconnect
    scripts: slow
    events: [connect]
    isolation: shims
    grace: 100
    expect: { exit: 0 }
`;

before(() => {
  for (const [folder, body] of [
    ['scripts', 'echo up\nip route add 192.168.100.0/24 via 10.0.0.1 dev tun0'],
    ['slow', 'echo started\nsleep 30'],
  ]) {
    fs.mkdirSync(path.join(dir, folder));
    fs.writeFileSync(path.join(dir, folder, 'OnConnect.sh'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  fs.writeFileSync(spec, specText);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

suite('LSP: hook test specs', () => {
  let client: LspClient;
  const outputs: HookTestOutput[] = [];
  before(async () => {
    client = await LspClient.start(dir, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.connection.onNotification('hooksmith/hookTestOutput', (o: HookTestOutput) => void outputs.push(o));
    await client.open(uri, specText, 1, 'yaml');
  });
  after(() => client.stop());

  test('a spec gets its HS8xx diagnostics at their ranges as it is typed', async () => {
    const broken = specText.replace('events: [connect]', 'events: [conect]');
    await client.change(uri, 2, [{ text: broken }]);
    const { diagnostics } = await client.diagnostics(uri, (_, v) => v === 2);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['HS804', 4, 13, 19]],
    );
    assert.match(String(diagnostics[0].message), /no event 'conect'/);
    await client.change(uri, 3, [{ text: specText }]);
    assert.deepEqual((await client.diagnostics(uri, (_, v) => v === 3)).diagnostics, []);
  });

  test("completion offers the keys where the cursor is (the family's events under expect) and hover explains a key", async () => {
    const labels = async (line: number, character: number) => (await client.completion(uri, { line, character })).map((i) => i.label);
    const inExpect = await labels(7, 6);
    for (const key of ['exit', 'commands', 'restored', 'connect', 'disconnect'])
      assert.ok(inExpect.includes(key), `${key} in ${inExpect.join(', ')}`);
    assert.ok((await labels(2, 12)).includes('anyconnect'), 'the family ids as values of family:');
    const hover = await client.hover(uri, { line: 10, character: 10 });
    assert.match((hover?.contents as MarkupContent).value, /^\*\*commands\*\* \(commands\)\n\nCommands the shims recorded/);
  });

  test('"Run test" lenses sit on each test\'s name', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]),
      [
        [1, 'Run test', [{ uri, tests: ['connect adds the route'] }]],
        [11, 'Run test', [{ uri, tests: ['the route is elsewhere'] }]],
        [18, 'Run test', [{ uri, tests: ['slow'] }]],
      ],
    );
  });

  test("runHookTests runs the tests through the server: one pass, one failure at its line, the hooks' output streamed", async () => {
    const run = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: [{ uri, tests: ['connect adds the route', 'the route is elsewhere'], id: 'r1' }],
    })) as HookTestRun;
    assert.deepEqual(
      run.results.map((r) => [r.name, r.status, r.line]),
      [
        ['connect adds the route', 'passed', 2],
        ['the route is elsewhere', 'failed', 12],
      ],
    );
    assert.deepEqual(
      run.results[1].failures.map((f) => [f.line, f.column, f.message]),
      [[18, 18, 'no command matches ip route add 10.0.0.0/8 *']],
    );
    assert.ok(
      outputs.some((o) => o.id === 'r1' && o.test === 'connect adds the route' && o.stream === 'stdout' && o.text === 'up\n'),
      JSON.stringify(outputs),
    );
  });

  test('cancelling the request stops the running hook; the test is reported cancelled', async () => {
    const source = new CancellationTokenSource();
    const started = new Promise<void>((resolve) =>
      client.connection.onNotification('hooksmith/hookTestOutput', (o: HookTestOutput) => {
        if (o.id === 'r2') resolve();
      }),
    );
    const pending = client.connection.sendRequest(
      ExecuteCommandRequest.type,
      { command, arguments: [{ uri, tests: ['slow'], id: 'r2' }] },
      source.token,
    ) as Promise<HookTestRun>;
    await started;
    source.cancel();
    const run = await pending;
    assert.deepEqual(
      run.results.map((r) => [r.name, r.status]),
      [['slow', 'cancelled']],
    );
  });
});

suite('LSP: hook tests in an untrusted workspace', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(dir, undefined, true, { initializationOptions: { workspaceTrusted: false } });
    await client.open(uri, specText, 1, 'yaml');
  });
  after(() => client.stop());

  test('the spec is still checked, but no lens is offered and running is refused with the reason', async () => {
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
    assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [{ uri }] }),
      /not trusted \(Restricted Mode\)/,
    );
  });

  test("listing a spec's tests (the Test Explorer's discovery) runs nothing and works untrusted", async () => {
    const list = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'hooksmith.server.listHookTests',
      arguments: [uri],
    })) as HookTestList;
    assert.deepEqual(
      list.tests.map((t) => [t.name, t.line, t.instances]),
      [
        ['connect adds the route', 2, ['connect adds the route']],
        ['the route is elsewhere', 12, ['the route is elsewhere']],
        ['slow', 19, ['slow']],
      ],
    );
    assert.deepEqual(list.specErrors, []);
  });
});
