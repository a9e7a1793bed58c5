// The language server's cap on one message (64 MB) and on a document grown by edits, over real stdio.
import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { rssMb } from './support';
import { frame, message, Message, RawServer } from './rawServer';

const mb = 1024 * 1024;
const uri = 'file:///abuse/profile.xml';
const profile = [
  '<?xml version="1.0"?>',
  '<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">',
  '<ServerList>',
  '</ServerList>',
  '</AnyConnectProfile>',
  '',
].join('\n');
const open = (text: string) =>
  message({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'anyconnect-profile', version: 1, text } } });
const outline = async (server: RawServer) =>
  (await server.request('textDocument/documentSymbol', { textDocument: { uri } }, 60_000)).result;
const shown = (m: Message, pattern: RegExp) => m.method === 'window/showMessage' && pattern.test((m.params as { message: string }).message);

suite('the language server reads at most 64 MB per message', () => {
  test('a 160 MB didOpen is thrown away as it arrives: the client is told, memory stays low, the next request is answered', async (t) => {
    const server = await RawServer.start();
    t.after(() => server.endInput());
    const rssBefore = rssMb(server.pid);
    const told = server.next((m) => shown(m, /a message of 160 MB from the editor was not read: .* at most 64 MB per message/), 60_000);
    const logged = server.next((m) => m.method === 'window/logMessage' && /at most 64 MB/.test(JSON.stringify(m.params)), 60_000);
    server.send(open(' '.repeat(160 * mb)));
    await Promise.all([told, logged]);
    assert.deepEqual(await outline(server), [], 'the document was never opened');
    const grown = rssMb(server.pid) - rssBefore;
    t.diagnostic(`RSS grew ${grown.toFixed(1)} MB for a 160 MB message`);
    assert.ok(grown < 100, `memory does not hold the message (it would take 160 MB at least): grew ${grown.toFixed(0)} MB`);
    server.send(open(profile));
    assert.ok(Array.isArray(await outline(server)) && ((await outline(server)) as unknown[]).length > 0, 'a later didOpen is read');
    assert.ok(server.alive);
  });

  test('a frame that claims 2 GB and sends 16 MB: what came is thrown away, and the server exits when its client goes', async (t) => {
    const server = await RawServer.start();
    const rssBefore = rssMb(server.pid);
    const told = server.next((m) => shown(m, /a message of 2048 MB/), 60_000);
    server.send(Buffer.concat([frame('{', 2048 * mb), Buffer.alloc(16 * mb, 0x20)]));
    await told;
    const grown = rssMb(server.pid) - rssBefore;
    t.diagnostic(`RSS grew ${grown.toFixed(1)} MB for 16 MB sent`);
    assert.ok(grown < 16, `memory does not hold what was sent: grew ${grown.toFixed(0)} MB`);
    const exit = await server.endInput();
    assert.deepEqual([exit.code, exit.signal], [1, null], 'exited by itself, not killed');
  });

  test('a document grown past 64 MB by small edits is dropped by the server, with a message, and followed again if reopened', async (t) => {
    const server = await RawServer.start();
    t.after(() => server.endInput());
    server.send(open(profile));
    assert.notDeepEqual(await outline(server), []);
    const told = server.next((m) => shown(m, /profile\.xml grew past 64 MB: it is no longer validated/), 60_000);
    const end = { line: 5, character: 0 };
    for (let version = 2; version < 2 + 9; version++) {
      const change = { range: { start: end, end }, text: `<!--${' '.repeat(8 * mb)}-->` };
      server.send(message({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [change] } }));
    }
    await told;
    assert.deepEqual(await outline(server), [], 'no longer kept');
    server.send(open(profile));
    assert.notDeepEqual(await outline(server), [], 'reopened');
  });
});
