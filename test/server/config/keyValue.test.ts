import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { looksBinary, parseKeyValue } from '../../../server/src/config/keyValue';

const ocservSyntax = { separator: '=', comments: '#', sections: true } as const;

suite('the line-based key/value reader of config documents', () => {
  test('keys, values and sections with exact offsets', () => {
    const text = '# c\ntcp-port = 443\n  connect-script=/etc/ocserv/c.sh  \n[vhost:a.example]\nuser-profile = p.xml\n';
    const p = parseKeyValue(text, ocservSyntax);
    assert.deepEqual(
      p.entries.map((e) => [e.key, e.value, e.section, e.line]),
      [
        ['tcp-port', '443', undefined, 1],
        ['connect-script', '/etc/ocserv/c.sh', undefined, 2],
        ['user-profile', 'p.xml', 'vhost:a.example', 4],
      ],
    );
    const c = p.entries[1];
    assert.equal(text.slice(c.keySpan.start, c.keySpan.end), 'connect-script');
    assert.equal(text.slice(c.valueSpan.start, c.valueSpan.end), '/etc/ocserv/c.sh');
    assert.equal(text.slice(p.entries[2].sectionSpan!.start, p.entries[2].sectionSpan!.end), '[vhost:a.example]');
  });

  test('a line without "=", an empty key and an unclosed section are kept as bad lines; the lines after are still read', () => {
    const text = 'tcp-port 443\n= 5\n[vhost:x\nudp-port = 443';
    const p = parseKeyValue(text, ocservSyntax);
    assert.deepEqual(
      p.bad.map((b) => [b.why, text.slice(b.span.start, b.span.end)]),
      [
        ['no-separator', 'tcp-port 443'],
        ['empty-key', '= 5'],
        ['unclosed-section', '[vhost:x'],
      ],
    );
    assert.deepEqual(
      p.entries.map((e) => e.key),
      ['udp-port'],
    );
  });

  test('CRLF line ends and a byte-order mark do not reach keys or values', () => {
    const text = '\uFEFFauth = plain\r\nconnect-script = /etc/c.sh\r\n';
    const p = parseKeyValue(text, ocservSyntax);
    assert.equal(p.bom, true);
    assert.deepEqual(
      p.entries.map((e) => [e.key, e.value]),
      [
        ['auth', 'plain'],
        ['connect-script', '/etc/c.sh'],
      ],
    );
    assert.equal(p.entries[0].keySpan.start, 1);
  });

  test('OpenVPN shapes: key value separated by blanks, inline <ca> blocks skipped, an unclosed block reported', () => {
    const syntax = { separator: 'whitespace', comments: '#;', inlineBlocks: true } as const;
    const text = 'client\nup /etc/openvpn/up.sh\n<ca>\n-----BEGIN CERTIFICATE-----\nup = not a key\n</ca>\nscript-security 2\n<key>\nxyz\n';
    const p = parseKeyValue(text, syntax);
    assert.deepEqual(
      p.entries.map((e) => [e.key, e.value]),
      [
        ['client', ''],
        ['up', '/etc/openvpn/up.sh'],
        ['script-security', '2'],
      ],
    );
    assert.deepEqual(
      p.blocks.map((b) => b.tag),
      ['ca'],
    );
    assert.deepEqual(
      p.bad.map((b) => b.why),
      ['unclosed-block'],
    );
  });

  test('wg-quick shapes: case-insensitive keys in [Interface]', () => {
    const p = parseKeyValue('[Interface]\nPostUp = iptables -A FORWARD -i %i -j ACCEPT # comment kept\n', {
      separator: '=',
      comments: '#',
      sections: true,
      caseInsensitive: true,
    });
    assert.deepEqual(
      p.entries.map((e) => [e.key, e.section, e.value]),
      [['postup', 'Interface', 'iptables -A FORWARD -i %i -j ACCEPT # comment kept']],
    );
  });

  test('binary content is recognised; a 200,000-line file without "=" is read line by line (no scan ahead per line)', () => {
    assert.equal(looksBinary('a = b\n\0\0'), true);
    assert.equal(looksBinary('a = b\n'), false);
    const huge = 'x'.repeat(20) + '\n';
    const p = parseKeyValue(huge.repeat(200_000) + 'tail = 1\n', ocservSyntax);
    assert.equal(p.bad.length, 200_000);
    assert.deepEqual(
      p.entries.map((e) => e.key),
      ['tail'],
    );
  });
});
