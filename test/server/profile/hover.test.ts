import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { profileHover } from '../../../server/src/profile/hover';

const text = `<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization>
    <EnableScripting UserControllable="true">true</EnableScripting>
    <OnConnectScript>OnConnect_a.sh</OnConnectScript>
    <AutoReconnectBehavior>ReconnectAfterResume</AutoReconnectBehavior>
  </ClientInitialization>
</AnyConnectProfile>`;
const hoverOn = (needle: string, nth = 0) => {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  return profileHover(text, offset + 2);
};

test('an element name shows its type, default, values, place and dialect, over the name only', () => {
  const h = hoverOn('EnableScripting');
  assert.ok(h);
  assert.deepEqual([h.start, h.end], [text.indexOf('EnableScripting'), text.indexOf('EnableScripting') + 'EnableScripting'.length]);
  for (const part of [
    "Cisco's schema",
    'Default: `false`',
    'Allowed values: `false`, `true`',
    'Nests in: `AnyConnectProfile` › `ClientInitialization`',
    'in this order: `TerminateScriptOnNextEvent`, `EnablePostSBLOnConnectScript`',
    'UserControllable',
  ]) {
    assert.ok(h.contents.includes(part), part);
  }
});

test("the end tag hovers too; seed elements say what Cisco's client does instead", () => {
  const h = hoverOn('OnConnectScript', 1);
  assert.match(h?.contents ?? '', /seed dialect/);
  assert.match(h?.contents ?? '', /Cisco's client ignores OnConnectScript/);
});

test('a misplaced element is described where it belongs', () => {
  assert.match(hoverOn('AutoReconnectBehavior')?.contents ?? '', /belongs inside `AutoReconnect`/);
});

test('UserControllable has its own doc; text and values have none', () => {
  assert.match(hoverOn('UserControllable')?.contents ?? '', /Whether the user may change/);
  assert.equal(profileHover(text, text.indexOf('OnConnect_a.sh') + 3), undefined);
});

test('an element newer than AnyConnect 4.10 says which client introduced it', () => {
  const source =
    '<AnyConnectProfile><ClientInitialization><CertificateStoreLinux>User</CertificateStoreLinux>' +
    '</ClientInitialization></AnyConnectProfile>';
  const h = profileHover(source, source.indexOf('CertificateStoreLinux') + 3);
  assert.match(h?.contents ?? '', /Introduced in Secure Client 5/);
  assert.match(h?.contents ?? '', /Allowed values: `All`, `Machine`, `User`/);
  assert.doesNotMatch(hoverOn('EnableScripting')?.contents ?? '', /Introduced in/);
});
