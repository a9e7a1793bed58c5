// The language server's cap on one message (64 MB) and on a document grown by edits, over real stdio.
import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { rssMb } from './support';
import { frame, message, Message, nudgeUntil, RawServer } from './rawServer';

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

  test('a frame that claims 2 GB and sends 128 MB: what came is thrown away, and the server exits when its client goes', async (t) => {
    const server = await RawServer.start();
    const rssBefore = rssMb(server.pid);
    const told = server.next((m) => shown(m, /a message of 2048 MB/), 60_000);
    await server.sendAll(Buffer.concat([frame('{', 2048 * mb), Buffer.alloc(128 * mb, 0x20)]));
    await told;
    const grown = rssMb(server.pid) - rssBefore;
    t.diagnostic(`RSS grew ${grown.toFixed(1)} MB for 128 MB sent`);
    assert.ok(grown < 64, `memory does not hold what was sent: grew ${grown.toFixed(0)} MB`);
    const exit = await server.endInput();
    assert.deepEqual([exit.code, exit.signal], [1, null], 'exited by itself, not killed');
  });

  test('128 MB with no end of headers are thrown away as it comes, said once, and a frame after a blank line is read', async (t) => {
    const server = await RawServer.start();
    t.after(() => server.endInput());
    const rssBefore = rssMb(server.pid);
    const logged = server.next(
      (m) => m.method === 'window/logMessage' && /with no end of headers were thrown away/.test(JSON.stringify(m.params)),
    );
    await server.sendAll(Buffer.alloc(128 * mb, 0x78));
    await logged;
    server.send('\r\n\r\n');
    // The garbage's last bytes and the blank line are one bad header block: the rest of its chunk waits for the next chunk.
    const answer = server.request('textDocument/documentSymbol', { textDocument: { uri } }, 60_000);
    await nudgeUntil(server, answer);
    assert.deepEqual((await answer).result, [], 'the request after the garbage and a blank line is answered');
    const grown = rssMb(server.pid) - rssBefore;
    t.diagnostic(`RSS grew ${grown.toFixed(1)} MB for 128 MB of garbage`);
    assert.ok(grown < 64, `memory does not keep the garbage: grew ${grown.toFixed(0)} MB for 128 MB`);
    const reports = server.messages.filter((m) => /no end of headers/.test(JSON.stringify(m.params ?? '')));
    assert.equal(reports.length, 1, 'said once, not once per 64 KB');
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
