import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspClient, vscodeWorkspaceEdit } from '../helpers/lspClient';

let client: LspClient;
before(async () => {
  client = await LspClient.start(undefined, vscodeWorkspaceEdit, false);
});
after(async () => {
  await client.stop();
});

test('a client that cannot pull settings can push them with didChangeConfiguration', async () => {
  const uri = 'untitled:pushed.xml';
  const text =
    '<AnyConnectProfile ' +
    'xmlns="http://schemas.xmlsoap.org/encoding/"><ClientInitialization>' +
    '<TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent></ClientInitialization></AnyConnectProfile>';
  await client.open(uri, text);
  assert.equal((await client.forVersion(uri, 1)).diagnostics[0].severity, DiagnosticSeverity.Information, 'defaults: auto dialect');
  const asError = client.diagnostics(uri, (d) => d[0]?.severity === DiagnosticSeverity.Error);
  await client.configurationChanged({ hooksmith: { profile: { dialect: 'cisco' } } });
  assert.equal((await asError).diagnostics[0].code, 'HS212');
});
