import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { profileFolds } from '../../../server/src/profile/folding';
import { ProfileSymbol, profileSymbols } from '../../../server/src/profile/symbols';

const text = `<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <!-- scripting
       for the lab -->
  <ClientInitialization>
    <EnableScripting>true</EnableScripting>
  </ClientInitialization>
  <ServerList>
    <HostEntry>
      <HostName>Corporate VPN</HostName>
      <HostAddress>vpn.example.com</HostAddress>
    </HostEntry>
    <HostEntry><HostAddress>nameless.example.com</HostAddress></HostEntry>
  </ServerList>
</AnyConnectProfile>`;

const outline = (s: ProfileSymbol): unknown =>
  s.children.length ? { [`${s.name} ${s.detail}`.trim()]: s.children.map(outline) } : `${s.name} ${s.detail}`.trim();

test('the outline: ClientInitialization with its preferences and values, each HostEntry by its HostName', () => {
  const [root] = profileSymbols(text);
  assert.deepEqual(outline(root), {
    AnyConnectProfile: [
      { ClientInitialization: ['EnableScripting true'] },
      {
        ServerList: [
          { 'Corporate VPN HostEntry': ['HostName Corporate VPN', 'HostAddress vpn.example.com'] },
          { HostEntry: ['HostAddress nameless.example.com'] },
        ],
      },
    ],
  });
  const host = root.children[1].children[0];
  assert.equal(
    text.slice(host.selectionStart, host.selectionEnd),
    '<HostName>Corporate VPN</HostName>',
    'selecting it selects its HostName',
  );
});

test('folds: elements over several lines (end tag left visible) and comments', () => {
  assert.deepEqual(profileFolds(text), [
    { startLine: 0, endLine: 12 },
    { startLine: 1, endLine: 2, kind: 'comment' },
    { startLine: 3, endLine: 4 },
    { startLine: 6, endLine: 11 },
    { startLine: 7, endLine: 9 },
  ]);
});
