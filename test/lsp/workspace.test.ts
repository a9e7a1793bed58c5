import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import {
  createProtocolConnection,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsParams,
  RegistrationParams,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { LspClient, serverPath } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-ws-'));
const hook = '#!/bin/sh\nlogger "VPN up"\n';

function write(file: string, text = hook): string {
  const full = path.join(work, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  fs.chmodSync(full, 0o755);
  return pathToFileURL(full).toString();
}

after(() => fs.rmSync(work, { recursive: true, force: true }));
const misnamed = write('vpn/onconnect_routes.sh');
write('vpn/OnDisconnect_routes.sh');
write('node_modules/vpn/onconnect.sh');

const codes = (d: readonly Diagnostic[]): unknown[] => d.map((x) => x.code);

/** The latest publish for `uri` if it already matches, else the next one that does. */
function shown(client: LspClient, uri: string, match: (d: Diagnostic[], version?: number) => boolean): Promise<PublishDiagnosticsParams> {
  const latest = client.published.filter((p) => p.uri === uri).at(-1);
  return latest && match(latest.diagnostics, latest.version) ? Promise.resolve(latest) : client.diagnostics(uri, match);
}

suite('language server: hooks in the workspace that are not open', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work);
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
  });

  test('publishes HS401 for a misnamed hook found on disk at start-up', async () => {
    const { diagnostics, version } = await shown(client, misnamed, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['HS401']);
    assert.equal(diagnostics[0].source, 'hooksmith');
    assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
    assert.match(diagnostics[0].message as string, /Rename it to OnConnect_routes\.sh/);
    assert.equal(version, undefined, 'no document version: the file is not open');
    assert.equal(
      client.published.some((p) => p.uri.includes('node_modules')),
      false,
      'node_modules is not scanned',
    );
  });

  test('a file event for a new misnamed hook publishes its findings', async () => {
    const created = write('vpn/OnDisconect_dns.sh');
    const published = client.diagnostics(created, (d) => d.length > 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: created, type: FileChangeType.Created }],
    });
    assert.deepEqual(codes((await published).diagnostics), ['HS402']);
  });

  test('opening the file hands over to the document diagnostics; closing hands back', async () => {
    await shown(client, misnamed, (d) => d.length > 0);
    const opened = client.forVersion(misnamed, 1);
    await client.open(misnamed, hook, 1, 'shellscript');
    const { diagnostics } = await opened;
    assert.deepEqual(codes(diagnostics), ['HS401'], 'once, from the document: the workspace set was cleared');

    const closed = client.diagnostics(misnamed, (d, version) => version === undefined && d.length > 0);
    await client.close(misnamed);
    assert.deepEqual(codes((await closed).diagnostics), ['HS401']);
  });
});

suite('language server: validate.run manual and the hooks of the workspace', () => {
  test('opening a hook keeps the findings the scan gave it; Validate Current File then validates it as a hook', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-manual-'));
    const file = path.join(dir, 'vpn', 'onconnect_mail.sh');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, hook, { mode: 0o755 });
    const uri = pathToFileURL(file).toString();
    const client = await LspClient.start(dir);
    client.settings = { validate: { run: 'manual' }, shellcheck: { enable: false } };
    try {
      await shown(client, uri, (d) => d.length > 0);
      await client.open(uri, hook, 1, 'shellscript');
      assert.equal(await client.nothingPublished(uri), true, "the scan's HS401 stays: nothing replaces it until the command");
      const published = client.forVersion(uri, 1);
      assert.deepEqual(await client.executeCommand('hooksmith.server.validate', uri), { validated: true, diagnostics: 1 });
      assert.deepEqual(codes((await published).diagnostics), ['HS401'], 'once, from the document');
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the server asks the client to watch hook names, when the client allows it', async () => {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let timer: NodeJS.Timeout | undefined;
  const registered = new Promise<RegistrationParams>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no watcher registration within 10 s')), 10_000);
    connection.onRequest(RegistrationRequest.type, (params) => {
      if (params.registrations.some((r) => r.method === DidChangeWatchedFilesNotification.method)) resolve(params);
    });
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.listen();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(work).toString(), name: 'ws' }],
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const params = await registered;
    const watch = params.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method)!;
    const globs = (watch.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/[Oo][Nn]*') && globs.includes('**/shorewall*/**'), globs.join(', '));
  } finally {
    clearTimeout(timer);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    await exited;
    connection.dispose();
  }
});
