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
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import type { AnyConnectRun } from '../../server/src/families/anyconnect/request';
import type { SimulationOutput, SimulationReport } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';
import { survivorsOf } from '../helpers/processGroups';

const command = 'hooksmith.server.simulate';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-sim-'));
const profile = path.join(dir, 'vpn.xml');
const scripts = path.join(dir, 'script');
const profileText = `<?xml version="1.0"?>
<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization>
    <OnConnectScript>OnConnect_routes.sh</OnConnectScript>
    <OnDisconnectScript>OnDisconnect_slow.sh</OnDisconnectScript>
  </ClientInitialization>
  <ServerList><HostEntry><HostName>Lab</HostName><HostAddress>gw.example.net</HostAddress></HostEntry></ServerList>
</AnyConnectProfile>
`;

function hook(name: string, lines: string[]): string {
  const file = path.join(scripts, name);
  fs.writeFileSync(file, lines.join('\n') + '\n', { mode: 0o755 });
  return file;
}

before(() => {
  fs.mkdirSync(scripts, { recursive: true });
  fs.writeFileSync(profile, profileText);
  hook('OnConnect_routes.sh', ['#!/bin/sh', 'echo "up on $CISCO_VPN_SERVER"', 'ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0']);
  // The trap before the output the test waits for: no race with the cancel.
  hook('OnDisconnect_slow.sh', ['#!/bin/sh', "trap '' TERM", 'echo going', 'sleep 30 & wait']);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

suite('LSP: workspace/executeCommand hooksmith.server.simulate', () => {
  let client: LspClient;
  const outputs: SimulationOutput[] = [];
  const progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
  before(async () => {
    client = await LspClient.start(dir, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    client.connection.onNotification('hooksmith/simulationOutput', (o: SimulationOutput) => void outputs.push(o));
    client.connection.onProgress(WorkDoneProgress.type, 'sim-1', (p) => void progress.push(p));
  });
  after(() => client.stop());

  test('runs the hook the profile names, streams its output and reports progress', async () => {
    const report = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: [{ kind: 'anyconnect', id: 'run-a', events: ['connect'], profile: pathToFileURL(profile).toString() }],
      workDoneToken: 'sim-1',
    })) as SimulationReport;
    const [run] = report.runs as AnyConnectRun[];
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.chosenBy.rule, 'profile-element');
    assert.deepEqual(
      run.commands.map((c) => c.argv),
      [['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0']],
    );
    assert.deepEqual(
      outputs.filter((o) => o.id === 'run-a').map((o) => [o.label, o.stream, o.text]),
      [['connect', 'stdout', 'up on gw.example.net\n']],
    );
    assert.deepEqual(
      progress.map((p) => p.kind),
      ['begin', 'report', 'end'],
    );
    assert.match((progress[1] as WorkDoneProgressReport).message ?? '', /connect: .*OnConnect_routes\.sh/);
  });

  test('cancelling the request kills the hook group; the report says cancelled', async () => {
    const source = new CancellationTokenSource();
    const started = new Promise<void>((resolve) =>
      client.connection.onNotification('hooksmith/simulationOutput', (o: SimulationOutput) => {
        if (o.id === 'run-c') resolve();
      }),
    );
    const pending = client.connection.sendRequest(
      ExecuteCommandRequest.type,
      { command, arguments: [{ kind: 'anyconnect', id: 'run-c', events: ['disconnect'], profile, graceMs: 100 }] },
      source.token,
    ) as Promise<SimulationReport>;
    await started;
    source.cancel();
    const report = await pending;
    assert.equal(report.cancelled, true);
    assert.deepEqual(
      report.runs[0].signalsSent.map((s) => [s.signal, s.why]),
      [
        ['SIGTERM', 'cancelled'],
        ['SIGKILL', 'grace-expired'],
      ],
    );
    assert.deepEqual(await survivorsOf(report.runs[0].pid as number), []);
  });

  test('a bad request is an InvalidParams error with the reason, and the server carries on', async () => {
    await assert.rejects(
      client.executeCommand(command, { kind: 'anyconnect', events: ['boot'], profile }),
      (e: ResponseError<void>) => e.code === -32602 && /Unknown event 'boot'/.test(e.message),
    );
    await assert.rejects(client.executeCommand(command, 'connect'), /must be an object/);
    await assert.rejects(
      client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], env: { 'A B': 'x' }, profile }),
      /shell variable names/,
    );
    const report = (await client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], profile })) as SimulationReport;
    assert.equal(report.ok, true);
  });

  test('the hooksmith.simulate settings fill what the request leaves out', async () => {
    client.settings = { simulate: { timeoutSeconds: 1, graceMs: 50, env: { CISCO_VPN_SERVER: 'from-settings' } } };
    await client.configurationChanged();
    const report = (await client.executeCommand(command, {
      kind: 'anyconnect',
      events: ['disconnect', 'connect'],
      profile,
      gapMs: 0,
      terminateOnNextEvent: false,
    })) as SimulationReport;
    client.settings = {};
    await client.configurationChanged();
    assert.equal(report.runs[0].timedOut, true, 'the 1 s timeout from settings applied');
    assert.equal(report.runs[1].stdout, 'up on from-settings\n');
  });

  test('a request whose hook touches a file by its path runs in the sandbox: the file is in the report, not on the host', async () => {
    const file = path.join(os.tmpdir(), `hooksmith-lsp-escape-${process.pid}`);
    const script = hook('OnConnect_escape.sh', ['#!/bin/sh', `/usr/bin/touch ${file}`]);
    const report = (await client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], script })) as SimulationReport;
    assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(report.runs[0].state?.diff, [{ kind: 'files', change: 'added', item: `created ${file}` }]);
  });

  test('PATH, HOOKSMITH_* and LD_PRELOAD from the request or from hooksmith.simulate.env are refused, not applied', async () => {
    await assert.rejects(
      client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], profile, env: { LD_PRELOAD: '/tmp/x.so' } }),
      (e: ResponseError<void>) => e.code === -32602 && /"env" cannot set LD_PRELOAD/.test(e.message),
    );
    client.settings = { simulate: { env: { PATH: '/usr/bin:/bin', HOOKSMITH_SHIM_LOG: '/dev/null' } } };
    await client.configurationChanged();
    try {
      await assert.rejects(
        client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], profile }),
        /"env" cannot set PATH, HOOKSMITH_SHIM_LOG/,
      );
    } finally {
      client.settings = {};
      await client.configurationChanged();
    }
  });

  test('CodeLenses over the script elements start the matching simulation', async () => {
    const uri = pathToFileURL(profile).toString();
    await client.open(uri, profileText);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    const summary = lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]);
    assert.deepEqual(summary, [
      [3, '▶ Simulate connect', command],
      [4, '▶ Simulate disconnect', command],
      [3, '▶ Simulate connect then disconnect', command],
    ]);
    assert.deepEqual(lenses[1].command?.arguments, [{ kind: 'anyconnect', events: ['disconnect'], profile }]);
  });
});

suite('LSP: simulate in an untrusted workspace', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(dir, undefined, true, {
      initializationOptions: { workspaceTrusted: false, simulateLensCommand: 'client.simulate' },
    });
  });
  after(() => client.stop());

  test('is refused with the reason, offers no lenses, and works once trust is granted', async () => {
    await assert.rejects(
      client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], profile }),
      /not trusted \(Restricted Mode\)/,
    );
    const uri = pathToFileURL(profile).toString();
    await client.open(uri, profileText);
    assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    await client.connection.sendNotification('hooksmith/workspaceTrust', { trusted: true });
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses[0].command?.command, 'client.simulate', "the client's own lens command");
    const report = (await client.executeCommand(command, { kind: 'anyconnect', events: ['connect'], profile })) as SimulationReport;
    assert.equal(report.ok, true);
  });
});

suite('LSP: simulate with progress the server creates', () => {
  test('a client without a token still gets cancellable progress; cancelling it stops the hook', async () => {
    const client = await LspClient.start(dir, undefined, true, { workDoneProgress: true });
    try {
      const tokens: (string | number)[] = [];
      client.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => void tokens.push(p.token));
      const begun = new Promise<string | number>((resolve) =>
        client.connection.onNotification('$/progress', (p: { token: string | number; value: { kind: string; cancellable?: boolean } }) => {
          if (p.value.kind === 'begin' && p.value.cancellable) resolve(p.token);
        }),
      );
      const pending = client.executeCommand(command, {
        kind: 'anyconnect',
        events: ['disconnect'],
        profile,
        graceMs: 100,
      }) as Promise<SimulationReport>;
      const token = await begun;
      assert.deepEqual(tokens, [token]);
      await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
      const report = await pending;
      assert.equal(report.cancelled, true);
    } finally {
      await client.stop();
    }
  });
});
