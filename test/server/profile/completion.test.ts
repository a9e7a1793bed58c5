import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { profileCompletions, ProfileCompletionOptions } from '../../../server/src/profile/completion';
import { costGrowth } from '../../helpers/scaling';

const ns = 'http://schemas.xmlsoap.org/encoding/';
const profile = (ci: string, rest = '') =>
  `<?xml version="1.0"?>\n<AnyConnectProfile xmlns="${ns}">\n  ` +
  `<ClientInitialization>${ci}</ClientInitialization>${rest}\n</AnyConnectProfile>\n`;

/** Completions at the `|` in `source`. */
function at(source: string, options: ProfileCompletionOptions = { dialect: 'auto' }) {
  const offset = source.indexOf('|');
  return profileCompletions(source.slice(0, offset) + source.slice(offset + 1), offset, options);
}
const labels = (source: string, options?: ProfileCompletionOptions) => at(source, options).map((c) => c.label);

suite('profile completion: elements', () => {
  test('an empty ClientInitialization offers its preferences, schema order, seed elements in the auto dialect', () => {
    const items = labels(profile('\n    |\n  '));
    assert.equal(items[0], 'UseStartBeforeLogon');
    for (const name of ['EnableScripting', 'AutoUpdate', 'LocalLanAccess', 'OnConnectScript', 'TerminateScriptOnNextEvent'])
      assert.ok(items.includes(name), name);
    assert.ok(!items.includes('HostEntry') && !items.includes('AutoReconnectBehavior'), 'only children of ClientInitialization');
  });

  test('a preference already present is not offered again; the cisco dialect leaves out the seed elements', () => {
    const items = labels(profile('\n    <LocalLanAccess>true</LocalLanAccess>\n    <Lo|\n  '), { dialect: 'cisco' });
    assert.ok(!items.includes('LocalLanAccess'));
    assert.ok(!items.includes('OnConnectScript'));
    assert.ok(items.includes('AutoUpdate'));
  });

  test('inside EnableScripting: its two children, then only what may still follow', () => {
    assert.deepEqual(labels(profile('\n    <EnableScripting>true\n      <|\n    </EnableScripting>\n  ')), [
      'TerminateScriptOnNextEvent',
      'EnablePostSBLOnConnectScript',
    ]);
    const after = profile(
      '\n    <EnableScripting>true\n      <TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent>\n      <|\n   ' +
        ' </EnableScripting>\n  ',
    );
    assert.deepEqual(labels(after), ['EnablePostSBLOnConnectScript']);
    const before = profile(
      '\n    <EnableScripting>true\n      <|\n      ' +
        '<EnablePostSBLOnConnectScript>true</EnablePostSBLOnConnectScript>\n    </EnableScripting>\n  ',
    );
    assert.deepEqual(labels(before), ['TerminateScriptOnNextEvent']);
  });

  test('a typed <Name is replaced by the whole element, with the values as a choice', () => {
    const source = profile('\n    <AutoUp|\n  ');
    const item = at(source).find((c) => c.label === 'AutoUpdate');
    assert.ok(item);
    assert.equal(item.insert, '<AutoUpdate>${1|true,false|}</AutoUpdate>$0', 'default first');
    assert.equal(item.filterText, '<AutoUpdate');
    assert.deepEqual(item.replace, { start: source.indexOf('<AutoUp'), end: source.indexOf('|') });
    assert.match(item.documentation ?? '', /Nests in: `AnyConnectProfile` › `ClientInitialization`/);
  });

  test('a HostEntry takes what follows HostName in its sequence; ServerList takes more HostEntry elements', () => {
    const host = labels(
      profile('', '\n  <ServerList>\n    <HostEntry>\n      <HostName>Corp</HostName>\n      <|\n    </HostEntry>\n  </ServerList>'),
    );
    assert.equal(host[0], 'HostAddress');
    assert.ok(!host.includes('HostName'));
    const list = labels(profile('', '\n  <ServerList>\n    <HostEntry><HostName>a</HostName></HostEntry>\n    <|\n  </ServerList>'));
    assert.deepEqual(list, ['HostEntry'], 'HostEntry repeats');
  });

  test('after ClientInitialization the root takes only ServerList; an empty file gets the root with its namespace', () => {
    assert.deepEqual(labels(profile('', '\n  <|')), ['ServerList']);
    const [root] = at('|');
    assert.equal(root.label, 'AnyConnectProfile');
    assert.match(root.insert, new RegExp(`xmlns="${ns}"`));
  });
});

suite('profile completion: values and attributes', () => {
  test('inside a value: the enumeration, default first, replacing the word typed', () => {
    const source = profile('\n    <CertificateStore>Ma|</CertificateStore>\n  ');
    const items = at(source);
    assert.deepEqual(
      items.map((c) => c.label),
      ['All', 'Machine', 'User'],
    );
    assert.deepEqual(items[0].replace, { start: source.indexOf('Ma|'), end: source.indexOf('|') });
    assert.match(items[0].detail ?? '', /default/);
  });

  test('a mixed element offers its value before its children, and only its children after its value', () => {
    assert.deepEqual(labels(profile('\n    <AutoReconnect>|</AutoReconnect>\n  ')), ['true', 'false', 'AutoReconnectBehavior']);
    assert.deepEqual(labels(profile('\n    <AutoReconnect>true\n      |\n    </AutoReconnect>\n  ')), ['AutoReconnectBehavior']);
  });

  test('UserControllable where the schema allows it, with true or false', () => {
    const [attr] = at(profile('\n    <AutoUpdate |>true</AutoUpdate>\n  '));
    assert.deepEqual([attr.label, attr.insert], ['UserControllable', 'UserControllable="${1|true,false|}"']);
    assert.deepEqual(labels(profile('\n    <ShowPreConnectMessage |>true</ShowPreConnectMessage>\n  ')), []);
    assert.deepEqual(labels(profile('\n    <AutoUpdate UserControllable="|">true</AutoUpdate>\n  ')), ['true', 'false']);
  });

  test('OnConnectScript offers the OnConnect scripts of the script folder', () => {
    const scriptFiles = () => ['OnConnect_routes.sh', 'OnDisconnect_routes.sh', 'notes.txt', 'OnConnect_drives.vbs'];
    assert.deepEqual(labels(profile('\n    <OnConnectScript>|</OnConnectScript>\n  '), { dialect: 'auto', scriptFiles }), [
      'OnConnect_routes.sh',
      'OnConnect_drives.vbs',
    ]);
    assert.deepEqual(labels(profile('\n    <OnDisconnectScript>On|</OnDisconnectScript>\n  '), { dialect: 'auto', scriptFiles }), [
      'OnDisconnect_routes.sh',
    ]);
  });

  test('nothing inside a comment', () => {
    assert.deepEqual(labels(profile('\n    <!-- <Auto| -->\n  ')), []);
  });
});

suite('profile completion after a long word (each character of it began a scan to its end: quadratic)', () => {
  const growth = (source: (size: number) => string): number => costGrowth((size) => at(source(size)), 2_000, 32_000, 4_000_000);

  test('inside a value, with a long word in a comment before it', () => {
    const source = (size: number) => profile(`<!-- ${'x'.repeat(size)} -->\n    <CertificateStore>Ma|</CertificateStore>\n  `);
    assert.deepEqual(labels(source(32_000)), ['All', 'Machine', 'User']);
    const g = growth(source);
    assert.ok(g < 4, `one character costs ${g.toFixed(1)} times as much at 32 KB as at 2 KB`);
  });

  test('inside an attribute value, with a long word before the attribute', () => {
    const source = (size: number) => profile(`\n    <AutoUpdate ${'x'.repeat(size)} UserControllable="|">true</AutoUpdate>\n  `);
    assert.deepEqual(labels(source(32_000)), ['true', 'false']);
    const g = growth(source);
    assert.ok(g < 4, `one character costs ${g.toFixed(1)} times as much at 32 KB as at 2 KB`);
  });
});
