import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { lintProfile } from '../../../server/src/profile/lint';
import { Dialect, valueFitsAt } from '../../../server/src/profile/validate';
import { ElementSpec, profileRoot } from '../../../server/src/profile/schema';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { marked } from '../../helpers/marked';
import { costGrowth } from '../../helpers/scaling';

const ns = 'xmlns="http://schemas.xmlsoap.org/encoding/"';

function lint(source: string, dialect: Dialect = 'auto') {
  return lintProfile(marked(source).text, { dialect, maxSize: 10 * 1024 * 1024 });
}

/** A profile whose ClientInitialization holds `body`. */
function ci(body: string): string {
  return `<AnyConnectProfile ${ns}>\n  <ClientInitialization>\n    ${body}\n  </ClientInitialization>\n</AnyConnectProfile>\n`;
}

/** A profile whose one HostEntry holds `body`. */
function hostEntry(body: string): string {
  return (
    `<AnyConnectProfile ${ns}>\n  <ServerList>\n    <HostEntry>\n      ${body}\n    </HostEntry>\n  ` +
    `</ServerList>\n</AnyConnectProfile>\n`
  );
}

suite('profile schema rules', () => {
  test('HS200: a root that is not AnyConnectProfile, on its name', () => {
    const source = '<«Profile»><ClientInitialization/></Profile>';
    assertOneAt(lint(source), 'HS200', source);
  });

  test('HS201: a wrong namespace is a warning on the value; none is not reported', () => {
    const source = '<AnyConnectProfile xmlns="«http://schemas.xmlsoap.org/encoding»"></AnyConnectProfile>';
    const f = assertOneAt(lint(source), 'HS201', source);
    assert.equal(f.severity, 'warning');
    assert.deepEqual(
      lint('<AnyConnectProfile><ServerList><HostEntry><HostName>a</HostName></HostEntry></ServerList></AnyConnectProfile>'),
      [],
    );
  });

  test('HS202: an unknown element suggests the nearest name', () => {
    const source = ci('<«LocalLanAcess»>true</LocalLanAcess>');
    const f = assertOneAt(lint(source), 'HS202', source);
    assert.match(f.message, /Did you mean <LocalLanAccess>\?/);
  });

  test("HS202: an element from ocserv's sample profile is named as such", () => {
    const source = ci('<«StrictCertificateTrust»>false</StrictCertificateTrust>');
    assert.match(assertOneAt(lint(source), 'HS202', source).message, /ocserv's sample profile/);
  });

  test('HS202: an element with no near name may be newer than the table', () => {
    const source = ci('<«ZeroTrustAccessMode»>All</ZeroTrustAccessMode>');
    assert.match(assertOneAt(lint(source), 'HS202', source).message, /newer than the schema Hooksmith knows/);
  });

  test('HS203: AutoReconnectBehavior beside AutoReconnect says where it belongs', () => {
    const source = ci('<AutoReconnect>true</AutoReconnect>\n    <«AutoReconnectBehavior»>ReconnectAfterResume</AutoReconnectBehavior>');
    const f = assertOneAt(lint(source), 'HS203', source);
    assert.match(f.message, /belongs inside <AutoReconnect>/);
  });

  test('HS204: root children out of order', () => {
    const source =
      `<AnyConnectProfile ` +
      `${ns}><ServerList><HostEntry><HostName>a</HostName></HostEntry></ServerList><«ClientInitialization»/></AnyConnectProfile>`;
    assertOneAt(lint(source), 'HS204', source);
  });

  test('HS204: HostEntry children out of order', () => {
    const source = hostEntry('<HostAddress>vpn.example.com</HostAddress>\n      <«HostName»>Main</HostName>');
    assert.match(assertOneAt(lint(source), 'HS204', source).message, /<HostName> must come before <HostAddress>/);
  });

  test('HS204: EnableScripting children out of order', () => {
    const source = ci(
      '<EnableScripting>true<EnablePostSBLOnConnectScript>true</EnablePostSBLOnConnectScript>' +
        '<«TerminateScriptOnNextEvent»>true</TerminateScriptOnNextEvent></EnableScripting>',
    );
    assertOneAt(lint(source), 'HS204', source);
  });

  test('ClientInitialization children may come in any order', () => {
    assert.deepEqual(
      lint(ci('<LocalLanAccess>true</LocalLanAccess><AutoUpdate>true</AutoUpdate><CertificateStore>All</CertificateStore>')),
      [],
    );
  });

  test('HS205: an element repeated in ClientInitialization, on the second', () => {
    const source = ci('<CertificateStore>All</CertificateStore>\n    <«CertificateStore»>User</CertificateStore>');
    assertOneAt(lint(source), 'HS205', source);
  });

  test('HostEntry and BackupServerList HostAddress may repeat', () => {
    const body = '<HostName>a</HostName><BackupServerList><HostAddress>b</HostAddress><HostAddress>c</HostAddress></BackupServerList>';
    assert.deepEqual(lint(hostEntry(body)), []);
  });

  test('HS206: booleans, with a case hint', () => {
    const source = ci('<AutoUpdate>«True»</AutoUpdate>');
    assert.match(assertOneAt(lint(source), 'HS206', source).message, /must be written "true"/);
  });

  test('HS206: enumerations list their values', () => {
    const source = ci('<CertificateStore>«Computer»</CertificateStore>');
    assert.match(assertOneAt(lint(source), 'HS206', source).message, /All, Machine, User/);
  });

  test('HS206: integer ranges', () => {
    const low = ci('<AuthenticationTimeout>«5»</AuthenticationTimeout>');
    assert.match(assertOneAt(lint(low), 'HS206', low).message, /10 to 120/);
    const word = ci('<AuthenticationTimeout> «thirty» </AuthenticationTimeout>');
    assertOneAt(lint(word), 'HS206', word);
    assert.deepEqual(lint(ci('<AuthenticationTimeout> 120 </AuthenticationTimeout>')), []);
  });

  test('HS206: the text of a mixed element is checked, beside its children', () => {
    const source = ci(
      '<AutoReconnect>«yes»\n      <AutoReconnectBehavior>DisconnectOnSuspend</AutoReconnectBehavior>\n    </AutoReconnect>',
    );
    assertOneAt(lint(source), 'HS206', source);
  });

  test('HS206: a value inside a HostEntry (PrimaryProtocol)', () => {
    const source = hostEntry('<HostName>a</HostName><PrimaryProtocol>«TLS»</PrimaryProtocol>');
    assertOneAt(lint(source), 'HS206', source);
  });

  test('HS207: a boolean left empty, on the element name', () => {
    const source = ci('<«EnableScripting»><TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent></EnableScripting>');
    assertOneAt(lint(source), 'HS207', source);
  });

  test('HS208: text inside a pure container', () => {
    const source =
      `<AnyConnectProfile ` + `${ns}><ServerList>«oops»<HostEntry><HostName>a</HostName></HostEntry></ServerList></AnyConnectProfile>`;
    assertOneAt(lint(source), 'HS208', source);
  });

  test('HS209: UserControllable where it is not allowed, on the attribute', () => {
    const source = ci('<ShowPreConnectMessage «UserControllable»="true">false</ShowPreConnectMessage>');
    assertOneAt(lint(source), 'HS209', source);
  });

  test('HS209: UserControllable with a value other than true|false, on the value', () => {
    const source = ci('<LocalLanAccess UserControllable="«yes»">true</LocalLanAccess>');
    assertOneAt(lint(source), 'HS209', source);
  });

  test('HS210: an unknown attribute', () => {
    const source = ci('<LocalLanAccess «Locked»="true">true</LocalLanAccess>');
    assertOneAt(lint(source), 'HS210', source);
  });

  test('HS211: HostEntry without HostName, on the HostEntry', () => {
    const source =
      `<AnyConnectProfile ` + `${ns}><ServerList><«HostEntry»><HostAddress>a</HostAddress></HostEntry></ServerList></AnyConnectProfile>`;
    assertOneAt(lint(source), 'HS211', source);
  });

  test('HS211: a ServerList needs at least one HostEntry', () => {
    const source = `<AnyConnectProfile ${ns}><«ServerList»/></AnyConnectProfile>`;
    assertOneAt(lint(source), 'HS211', source);
  });

  test('a namespace prefix on the elements is accepted', () => {
    const text =
      '<ac:AnyConnectProfile ' +
      'xmlns:ac="http://schemas.xmlsoap.org/encoding/"><ac:ServerList><ac:HostEntry><ac:HostName>a</ac:HostName>' +
      '</ac:HostEntry></ac:ServerList></ac:AnyConnectProfile>';
    assert.deepEqual(lint(text), [], describe(lint(text)));
  });

  test('contents of opaque structures (CertificateMatch) are not second-guessed', () => {
    const body = '<CertificateMatch><KeyUsage><MatchKey>Digital_Signature</MatchKey></KeyUsage></CertificateMatch>';
    assert.deepEqual(lint(ci(body)), [], describe(lint(ci(body))));
  });
});

suite('profile dialects (HS212)', () => {
  const seed = ci('<«OnConnectScript»>OnConnect_a.sh</OnConnectScript>');

  test('auto: a seed element is accepted with an information note', () => {
    const f = lint(seed).filter((x) => x.code === 'HS212');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.match(f[0].message, /Cisco's client ignores OnConnectScript/);
    assertOneAt(lint(seed), 'HS212', seed);
  });

  test('cisco: a seed element is an error', () => {
    const f = assertOneAt(lint(seed, 'cisco'), 'HS212', seed);
    assert.equal(f.severity, 'error');
  });

  test('seed: no note at all', () => {
    assert.deepEqual(
      codes(lint(seed, 'seed')).filter((c) => c === 'HS212'),
      [],
    );
  });

  test('TerminateScriptOnNextEvent directly under ClientInitialization: the note says where Cisco reads it', () => {
    const source = ci('<«TerminateScriptOnNextEvent»>true</TerminateScriptOnNextEvent>');
    assert.match(assertOneAt(lint(source), 'HS212', source).message, /only inside EnableScripting/);
  });
});

suite('order follows the schema: xs:sequence is enforced, xs:all is not', () => {
  test('AutomaticVPNPolicy children may come in any order', () => {
    const body =
      '<AutomaticVPNPolicy>true<TrustedNetworkPolicy>Disconnect</TrustedNetworkPolicy>' +
      '<UntrustedNetworkPolicy>Connect</UntrustedNetworkPolicy><TrustedDNSDomains>corp.example.com</TrustedDNSDomains>' +
      '<TrustedDNSServers></TrustedDNSServers></AutomaticVPNPolicy>';
    assert.deepEqual(lint(ci(body)), [], describe(lint(ci(body))));
  });
});

suite('validation time grows with the profile, not faster', () => {
  test('20,000 unknown elements, each with its HS202 (found by fuzzing: 10,000 took 1.2 s, 40,000 took 7 s)', () => {
    const unknown = (n: number): string =>
      `<AnyConnectProfile ` +
      `xmlns="http://schemas.xmlsoap.org/encoding/">` +
      `<ClientInitialization>${'<Foo/>'.repeat(n)}</ClientInitialization></AnyConnectProfile>`;
    const lint = (text: string) => lintProfile(text, { dialect: 'auto', maxSize: 10 * 1024 * 1024 });
    const findings = lint(unknown(20_000));
    const growth = costGrowth((n) => void lint(unknown(n)), 1_250, 20_000, 40_000);
    assert.ok(growth < 4, `one element costs ${growth.toFixed(1)} times as much among 20,000 as among 1,250`);
    assert.equal(findings.length, 20_000);
    assert.ok(findings.every((f) => f.code === 'HS202'));
  });

  test('an element name 400 KB long gets its HS202 at once (found by fuzzing: 160 KB took 1.8 s)', () => {
    const named = (n: number): string =>
      `<AnyConnectProfile ` +
      `xmlns="http://schemas.xmlsoap.org/encoding/"><ClientInitialization><${'X'.repeat(n)}/></ClientInitialization></AnyConnectProfile>`;
    const lint = (text: string) => lintProfile(text, { dialect: 'auto', maxSize: 10 * 1024 * 1024 });
    const findings = lint(named(400_000));
    const growth = costGrowth((n) => void lint(named(n)), 25_000, 400_000, 800_000);
    assert.ok(growth < 4, `one character of the name costs ${growth.toFixed(1)} times as much in 400 KB as in 25 KB`);
    assert.deepEqual(codes(findings), ['HS202']);
  });
});

test("the schema's boolean and enum values hold no white space, as checking a value in place (valueFitsAt) takes", () => {
  const values: string[] = [];
  const walk = (spec: ElementSpec): void => {
    if (spec.value?.kind === 'enum') values.push(...spec.value.values);
    for (const child of spec.children ?? []) walk(child);
  };
  walk(profileRoot);
  assert.ok(values.length > 20, `enum values found: ${values.length}`);
  for (const v of values) assert.ok(v !== '' && !/\s/u.test(v), JSON.stringify(v));
  assert.equal(valueFitsAt(' \r\n\tIPsec \n', 0, 11, { kind: 'enum', values: ['SSL', 'IPsec'] }), true);
  assert.equal(valueFitsAt('\u00a0IPsec', 0, 6, { kind: 'enum', values: ['IPsec'] }), false); // left to checkText, which trims NBSP too
});
