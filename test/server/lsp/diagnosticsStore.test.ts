import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { Diagnostic } from 'vscode-languageserver';
import { DiagnosticsStore } from '../../../server/src/lsp/diagnosticsStore';

const diag = (message: string): Diagnostic => ({ message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });

suite('DiagnosticsStore', () => {
  const published: { messages: string[]; version?: number }[] = [];
  const store = new DiagnosticsStore((_uri, ds, version) => void published.push({ messages: ds.map((d) => String(d.message)), version }));

  test('publishes the union of the producers for the same version; a newer version leaves stale findings out until they catch up', () => {
    store.set('u', 'shellcheck', [diag('sc')], 1);
    store.set('u', 'hooksmith', [diag('hs')], 1);
    store.set('u', 'hooksmith', [diag('hs2')], 2);
    store.set('u', 'workspace', [diag('ws')]);
    store.set('u', 'shellcheck', [diag('sc2')], 2);
    assert.deepEqual(published, [
      { messages: ['sc'], version: 1 },
      { messages: ['sc', 'hs'], version: 1 },
      { messages: ['hs2'], version: 2 },
      { messages: ['hs2', 'ws'], version: undefined },
      { messages: ['sc2', 'hs2', 'ws'], version: 2 },
    ]);
  });
});
