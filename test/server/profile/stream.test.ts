import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { lintProfile, lintProfileStreaming, ProfileLintOptions } from '../../../server/src/profile/lint';
import { ScriptFolders } from '../../../server/src/profile/scripts';
import { validateStreaming } from '../../../server/src/profile/stream';
import { profileTarget } from '../../fuzz/targets/profile';
import { codes, describe } from '../../helpers/findings';
import { marked } from '../../helpers/marked';
import { largeProfileWithMistakes } from '../../helpers/largeProfileWithMistakes';

// The CLI validates a profile without building its tree (lintProfileStreaming); the language
// server keeps the tree (lintProfile). A user must see the same findings either way, byte for byte.

const root = path.resolve(__dirname, '../../../..');
const folder: ScriptFolders = {
  folders: ['/opt/cisco/secureclient/vpn/script'],
  find: (name) => (name === 'OnConnect_routes.sh' ? '/opt/cisco/secureclient/vpn/script' : undefined),
};

function assertSame(text: string, options: ProfileLintOptions, what: string): void {
  const tree = lintProfile(text, options);
  const streamed = lintProfileStreaming(text, options);
  assert.equal(JSON.stringify(streamed), JSON.stringify(tree), `${what}: streamed\n${describe(streamed)}\ntree\n${describe(tree)}`);
}

test('the 4.86 MB generated profile with mistakes gets the same findings without a tree as with one, in every dialect', () => {
  const text = largeProfileWithMistakes();
  assert.ok(validateStreaming(text, { dialect: 'auto' }), 'every element is closed: validated without the tree');
  const found = new Set<string>(lintProfileStreaming(text).map((f) => f.code));
  for (const code of ['HS202', 'HS203', 'HS205', 'HS206', 'HS207', 'HS208', 'HS210', 'HS211'])
    assert.ok(found.has(code), `the profile has ${code} (found: ${[...found].join(', ')})`);
  for (const dialect of ['auto', 'cisco', 'seed'] as const) assertSame(text, { dialect, maxSize: 10 * 1024 * 1024 }, dialect);
});

test('every example and fixture profile gets the same findings without a tree, with and without a script folder', () => {
  const files = ['examples', 'test/fixtures/profiles'].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(root, dir, f)),
  );
  const profiles = files.filter((f) => f.endsWith('.xml') && fs.readFileSync(f, 'utf8').includes('<AnyConnectProfile'));
  assert.ok(profiles.length >= 6, `profiles found: ${profiles.join(', ')}`);
  for (const file of profiles) {
    const text = fs.readFileSync(file, 'utf8');
    for (const dialect of ['auto', 'cisco', 'seed'] as const) {
      assertSame(text, { dialect, maxSize: 10 * 1024 * 1024 }, `${file} ${dialect}`);
      assertSame(text, { dialect, maxSize: 10 * 1024 * 1024, scriptFolders: folder }, `${file} ${dialect}, script folder`);
    }
  }
});

test('scripts are checked the same way without a tree: names, a missing file, EnableScripting false, a second root', () => {
  const text =
    '<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/"><ClientInitialization>' +
    '<OnConnectScript>OnDisconnect_x.sh</OnConnectScript><EnableScripting>false</EnableScripting>' +
    '<OnDisconnectScript>../x.sh</OnDisconnectScript><EnableScripting>true</EnableScripting>' +
    '</ClientInitialization><ClientInitialization><OnConnectScript>x</OnConnectScript></ClientInitialization>' +
    '</AnyConnectProfile>' +
    '<AnyConnectProfile><ClientInitialization><OnConnectScript>y</OnConnectScript></ClientInitialization></AnyConnectProfile>';
  const options = { dialect: 'auto' as const, maxSize: 1 << 20, scriptFolders: folder };
  assert.ok(validateStreaming(text, options));
  assert.deepEqual([...new Set(lintProfileStreaming(text, options).map((f) => f.code))].sort(), [
    'HS103',
    'HS205',
    'HS212',
    'HS301',
    'HS302',
    'HS304',
    'HS305',
  ]);
  assertSame(text, options, 'scripts');
});

test('a profile with an element never closed is validated on the tree, whose recovery needs the whole of it', () => {
  const text = '<AnyConnectProfile><ClientInitialization><AutoUpdate>true</ClientInitialization></AnyConnectProfile>';
  assert.equal(validateStreaming(text, { dialect: 'auto' }), undefined);
  assertSame(text, { dialect: 'auto', maxSize: 1 << 20 }, 'unclosed');
  assert.ok(lintProfileStreaming(text).some((f) => f.code === 'HS101'));
});

test('mutated and generated profiles (the inputs of the profile fuzz target) get the same findings without a tree', () => {
  fc.assert(
    fc.property(profileTarget.arbitrary, (input) => {
      const options: ProfileLintOptions = { dialect: input.dialect, maxSize: input.maxSize, scriptFolders: input.scripts && folder };
      assertSame(input.text, options, JSON.stringify(input.text));
    }),
    { numRuns: 1500, seed: 1616 },
  );
});

/** A profile whose ClientInitialization holds `ci` and whose ServerList holds `servers`. */
function profile(ci: string, servers = '<HostEntry><HostName>h</HostName></HostEntry>'): string {
  return (
    '<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\r\n<ClientInitialization>' +
    ci +
    '</ClientInitialization>\r\n<ServerList>' +
    servers +
    '</ServerList></AnyConnectProfile>'
  );
}

/** The findings of both ways, asserted the same, as code and marked text; `source` marks nothing (its findings are returned). */
function findingsOf(source: string): [string, string][] {
  const { text } = marked(source);
  const options = { dialect: 'auto' as const, maxSize: 1 << 20 };
  assertSame(text, options, JSON.stringify(text));
  return lintProfileStreaming(text, options).map((f) => [f.code, text.slice(f.start, f.end)]);
}

test('a value of one plain run is checked in place as the tree checks it, with white space, CRLF, NBSP, references, CDATA', () => {
  const fine = [
    '<AuthenticationTimeout>30</AuthenticationTimeout>',
    '<AuthenticationTimeout> \r\n\t30 \r\n</AuthenticationTimeout>',
    '<AuthenticationTimeout>030</AuthenticationTimeout>',
    '<AuthenticationTimeout>&#51;0</AuthenticationTimeout>',
    '<AuthenticationTimeout><![CDATA[30]]></AuthenticationTimeout>',
    '<AuthenticationTimeout>3<!-- c -->0</AuthenticationTimeout>',
    '<AuthenticationTimeout>\u00a030\u00a0</AuthenticationTimeout>', // trimmed as a string is: NBSP too
    '<LocalLanAccess>false</LocalLanAccess>',
    '<LocalLanAccess>\n  true\n</LocalLanAccess>',
  ];
  for (const value of fine) assert.deepEqual(findingsOf(profile(value)), [], value);
  assert.deepEqual(findingsOf(profile('<AuthenticationTimeout>9</AuthenticationTimeout>')), [['HS206', '9']]);
  assert.deepEqual(findingsOf(profile('<AuthenticationTimeout>99999999999999999999</AuthenticationTimeout>')), [
    ['HS206', '99999999999999999999'],
  ]);
  assert.deepEqual(findingsOf(profile('<AuthenticationTimeout> 1e2 </AuthenticationTimeout>')), [['HS206', '1e2']]);
  assert.deepEqual(findingsOf(profile('<AuthenticationTimeout>\r\n</AuthenticationTimeout>')), [['HS207', 'AuthenticationTimeout']]);
  assert.deepEqual(findingsOf(profile('<AuthenticationTimeout/>')), [['HS207', 'AuthenticationTimeout']]);
  assert.deepEqual(findingsOf(profile('<LocalLanAccess>\r\n True </LocalLanAccess>')), [['HS206', 'True']]);
  assert.deepEqual(findingsOf(profile('<LocalLanAccess>tru</LocalLanAccess>')), [['HS206', 'tru']]);
  assert.deepEqual(findingsOf(profile('<LocalLanAccess>truee</LocalLanAccess>')), [['HS206', 'truee']]);
  assert.deepEqual(findingsOf(profile('<LocalLanAccess>tr&#117;e </LocalLanAccess>')), []);
  const enums =
    '<HostEntry><HostName>h</HostName><PrimaryProtocol> IPsec\r\n ' +
    '<StandardAuthenticationOnly>true</StandardAuthenticationOnly></PrimaryProtocol></HostEntry>';
  assert.deepEqual(findingsOf(profile('', enums)), []);
  assert.deepEqual(findingsOf(profile('', enums.replace('IPsec', 'IPSec'))), [['HS206', 'IPSec']]);
});

test("an element's children are counted from its first child: required ones missing, repeated, out of order, inside a leaf", () => {
  const entry = (body: string): string => `<HostEntry>${body}</HostEntry>`;
  assert.deepEqual(findingsOf(profile('', entry(''))), [['HS211', 'HostEntry']]);
  assert.deepEqual(findingsOf(profile('', '<HostEntry/>')), [['HS211', 'HostEntry']]);
  assert.deepEqual(findingsOf(profile('', entry('<HostName>a</HostName>') + entry('<HostName>b</HostName>'))), []);
  assert.deepEqual(findingsOf(profile('', entry('<HostName>a</HostName><HostName>b</HostName>'))), [['HS205', 'HostName']]);
  assert.deepEqual(findingsOf(profile('', entry('<HostAddress>a</HostAddress>') + entry('<HostName>b</HostName>'))), [
    ['HS211', 'HostEntry'],
  ]);
  assert.deepEqual(codes(lintProfileStreaming(profile('', entry('<HostName>a<HostAddress>b</HostAddress></HostName>')))), ['HS203']);
  findingsOf(profile('', entry('<UserGroup>g</UserGroup><HostName>a</HostName>')));
});
