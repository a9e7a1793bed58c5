import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CompletionItem, MarkupContent, Position, SymbolKind, TextEdit } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-authoring-'));
fs.mkdirSync(path.join(work, 'script'));
for (const name of ['OnConnect_routes.sh', 'OnConnect_drives.vbs', 'OnDisconnect_routes.sh'])
  fs.writeFileSync(path.join(work, 'script', name), '#!/bin/sh\n');
const uriOf = (name: string): string => pathToFileURL(path.join(work, name)).toString();

/** Text with one `|` for the cursor: the text without it, and the cursor's position. */
function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  const lines = marked.slice(0, offset).split('\n');
  return {
    text: marked.slice(0, offset) + marked.slice(offset + 1),
    position: { line: lines.length - 1, character: lines[lines.length - 1].length },
  };
}

const profile = (ci: string, rest = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ` +
  `<ClientInitialization>${ci}</ClientInitialization>${rest}\n</AnyConnectProfile>\n`;
const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const markdown = (value: unknown): string => (value as MarkupContent).value;

suite('authoring over the protocol', () => {
  let client: LspClient;
  let n = 0;
  before(async () => {
    client = await LspClient.start(work);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Opens `marked` as a new document and asks for completions at its `|`. */
  async function complete(name: string, marked: string, languageId?: string): Promise<CompletionItem[]> {
    const { text, position } = cursor(marked);
    const uri = uriOf(name.replace('#', String(++n)));
    await client.open(uri, text, 1, languageId);
    return client.completion(uri, position);
  }

  test('an empty ClientInitialization completes to its preferences, as snippets with the values to pick', async () => {
    const items = await complete('empty#.xml', profile('\n    |\n  '));
    assert.ok(labels(items).includes('EnableScripting') && labels(items).includes('AutoUpdate'));
    assert.ok(!labels(items).includes('HostEntry'));
    const auto = items.find((i) => i.label === 'AutoUpdate');
    assert.equal(auto?.insertTextFormat, 2, 'snippet');
    assert.equal((auto?.textEdit as TextEdit).newText, '<AutoUpdate>${1|true,false|}</AutoUpdate>$0');
    assert.match(markdown(auto?.documentation), /Default: `true`/);
  });

  test('inside EnableScripting: only its children in their order', async () => {
    const items = await complete(
      'scripting#.xml',
      profile(
        '\n    <EnableScripting>true\n      <TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent>\n      <|\n   ' +
          ' </EnableScripting>\n  ',
      ),
    );
    assert.deepEqual(labels(items), ['EnablePostSBLOnConnectScript']);
  });

  test('inside a value: the enumeration values', async () => {
    assert.deepEqual(labels(await complete('value#.xml', profile('\n    <ProxySettings>Ig|</ProxySettings>\n  '))), [
      'Native',
      'IgnoreProxy',
      'Override',
      'PublicProxyServerAddress',
    ]);
  });

  test('inside OnConnectScript: the OnConnect scripts of the script folder', async () => {
    assert.deepEqual(labels(await complete('script#.xml', profile('\n    <OnConnectScript>|</OnConnectScript>\n  '))).sort(), [
      'OnConnect_drives.vbs',
      'OnConnect_routes.sh',
    ]);
  });

  test('in the middle of a $CISCO_ word: the four variables, replacing the whole name', async () => {
    const items = await complete('vpn#/OnConnect_routes.sh', '#!/bin/sh\nlogger "up: $CISCO_|VPN_US"\n', 'shellscript');
    assert.deepEqual(labels(items), ['CISCO_VPN_USERNAME', 'CISCO_VPN_SERVER', 'CISCO_VPN_IP', 'CISCO_VPN_EVENT']);
    assert.deepEqual((items[0].textEdit as TextEdit).range, { start: { line: 1, character: 13 }, end: { line: 1, character: 25 } });
    assert.match(markdown(items[0].documentation), /Example value: `jdoe`/);
  });

  test('a Shorewall hook completes its variables and run_iptables', async () => {
    assert.deepEqual(labels(await complete('shorewall/start', 'case $CO|', 'shellscript')), ['COMMAND', 'CONFDIR', 'SHAREDIR', 'VARDIR']);
    assert.deepEqual(labels(await complete('shorewall6/start', 'run_|', 'shellscript')), ['run_iptables']);
  });

  test('hover: element docs in a profile, variable docs and when a Shorewall hook runs', async () => {
    const uri = uriOf('hover.xml');
    const { text, position } = cursor(profile('\n    <Enable|Scripting>true</EnableScripting>\n  '));
    await client.open(uri, text);
    const h = await client.hover(uri, position);
    assert.match(markdown(h?.contents), /\*\*EnableScripting\*\*[\s\S]*Default: `false`/);
    assert.deepEqual(h?.range, { start: { line: 3, character: 5 }, end: { line: 3, character: 20 } });

    const hook = uriOf('shorewall-lite/isusable');
    await client.open(hook, '# isusable\ncase $1 in\n  *) return 0 ;;\nesac\n', 1, 'shellscript');
    assert.match(markdown((await client.hover(hook, { line: 0, character: 3 }))?.contents), /Runs on: `shorewall refresh`/);
    assert.equal(await client.hover(hook, { line: 1, character: 1 }), null, 'nothing on plain code');
  });

  test('outline and folding of a profile', async () => {
    const uri = uriOf('outline.xml');
    await client.open(
      uri,
      profile(
        '\n    <EnableScripting>true</EnableScripting>\n  ',
        '\n  <ServerList>\n    <HostEntry>\n      <HostName>Corporate VPN</HostName>\n    </HostEntry>\n  </ServerList>',
      ),
    );
    const [root] = await client.documentSymbols(uri);
    const [ci, servers] = root.children ?? [];
    assert.deepEqual([ci.name, ci.children?.map((c) => `${c.name}=${c.detail}`)], ['ClientInitialization', ['EnableScripting=true']]);
    assert.equal(servers.children?.[0].name, 'Corporate VPN');
    assert.equal(servers.children?.[0].kind, SymbolKind.Namespace);
    assert.deepEqual(
      (await client.foldingRanges(uri)).map((f) => [f.startLine, f.endLine]),
      [
        [1, 9],
        [2, 3],
        [5, 8],
        [6, 7],
      ],
    );
  });
});
