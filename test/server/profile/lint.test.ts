import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { lintProfile } from '../../../server/src/profile/lint';
import { scriptFoldersFor } from '../../../server/src/profile/scriptFolders';
import { LineIndex } from '../../../server/src/text/lineIndex';
import { codes, describe } from '../../helpers/findings';
import { costGrowth } from '../../helpers/scaling';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/profiles');
const read = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');
const options = { dialect: 'auto' as const, maxSize: 10 * 1024 * 1024 };

suite('realistic valid profiles have zero diagnostics', () => {
  // secure-client-5.xml: the Profile Editor's profile as Secure Client 5 writes it, with CertificateStoreLinux.
  for (const name of ['profile-editor.xml', 'secure-client-5.xml', 'minimal.xml']) {
    test(name, () => {
      const findings = lintProfile(read(name), { ...options, scriptFolders: scriptFoldersFor(path.join(fixtures, name)) });
      assert.deepEqual(findings, [], describe(findings));
    });
  }

  test('CertificateStoreLinux takes each value Secure Client 5 writes (All, User, Machine), in either dialect', () => {
    for (const value of ['All', 'User', 'Machine']) {
      for (const dialect of ['auto', 'cisco'] as const) {
        const profile = read('secure-client-5.xml').replace('<CertificateStoreLinux>All<', `<CertificateStoreLinux>${value}<`);
        assert.deepEqual(lintProfile(profile, { ...options, dialect }), [], `${value} ${dialect}`);
      }
    }
  });

  test('seed-style, in the seed dialect, with its scripts present', () => {
    const file = path.join(fixtures, 'seed/seed-style.xml');
    const findings = lintProfile(read('seed/seed-style.xml'), { ...options, dialect: 'seed', scriptFolders: scriptFoldersFor(file) });
    assert.deepEqual(findings, [], describe(findings));
  });

  test('with a BOM and CRLF line ends: no diagnostics, and ranges of a mistake stay exact', () => {
    const crlf = '\uFEFF' + read('profile-editor.xml').replace(/\n/g, '\r\n');
    assert.deepEqual(lintProfile(crlf, options), []);
    const broken = crlf.replace(
      '<AutoUpdate UserControllable="false">true</AutoUpdate>',
      '<AutoUpdate UserControllable="false">ture</AutoUpdate>',
    );
    const [f] = lintProfile(broken, options);
    assert.equal(f.code, 'HS206');
    const lines = new LineIndex(broken);
    assert.deepEqual(lines.positionAt(f.start), { line: 22, character: 39 });
    assert.equal(broken.slice(f.start, f.end), 'ture');
  });
});

suite('bad input gets one clear diagnostic', () => {
  test('one missing closing tag is one error (HS101), not one more per element that follows it', () => {
    const broken = read('profile-editor.xml').replace('</AutoReconnect>', '');
    const findings = lintProfile(broken, options);
    assert.deepEqual(codes(findings), ['HS101'], describe(findings));
    assert.match(findings[0].message, /<AutoReconnect> is not closed before <\/ClientInitialization>/);
  });

  test('after a missing closing tag, the elements that follow are still checked where they belong', () => {
    const broken = read('profile-editor.xml')
      .replace('</AutoReconnect>', '')
      .replace('<AutoUpdate UserControllable="false">true<', '<AutoUpdate UserControllable="false">ture<');
    const findings = lintProfile(broken, options);
    assert.deepEqual(codes(findings), ['HS101', 'HS206'], describe(findings));
    assert.match(findings[1].message, /<AutoUpdate>: "ture"/);
  });

  test('HS110: a binary file, at its first NUL', () => {
    const findings = lintProfile('PK\u0003\u0004\u0000\u0000binary', options);
    assert.deepEqual(codes(findings), ['HS110']);
    assert.equal(findings[0].start, 4);
  });

  test('HS111: a file over the size limit is not parsed; the finding sits on line 1', () => {
    const big = '<?xml version="1.0"?>\n<AnyConnectProfile>' + ' '.repeat(2000) + '</AnyConnectProfile>';
    const findings = lintProfile(big, { ...options, maxSize: 1000 });
    assert.deepEqual(codes(findings), ['HS111']);
    assert.deepEqual([findings[0].start, findings[0].end], [0, 21]);
  });

  test("HS100: a non-ASCII name outside XML's name characters, on the name", () => {
    const text = '<AnyConnectProfile><a\u00d7b/></AnyConnectProfile>';
    const findings = lintProfile(text, options).filter((f) => f.code === 'HS100');
    assert.equal(findings.length, 1, describe(lintProfile(text, options)));
    assert.equal(text.slice(findings[0].start, findings[0].end), 'a\u00d7b');
  });

  test('a half-typed profile still gets its schema checked below the syntax error', () => {
    const text =
      '<AnyConnectProfile ' +
      'xmlns="http://schemas.xmlsoap.org/encoding/">\n<ClientInitialization>\n<AutoUpdate>maybe</AutoUpdate>\n<LocalLanAccess>tr';
    assert.deepEqual(codes(lintProfile(text, options)).sort(), ['HS101', 'HS101', 'HS101', 'HS206', 'HS206']);
  });

  test('deep nesting, entity bombs and huge attribute soups finish fast', () => {
    // Each input at its full size, and how one unit of it costs at that size against a sixteenth of it.
    const inputs: [string, (n: number) => string, number][] = [
      ['nested element', (n) => '<AnyConnectProfile>' + '<x>'.repeat(n), 100_000],
      [
        'entity declaration',
        (n) => '<!DOCTYPE a [' + '<!ENTITY e "&e;&e;">'.repeat(n) + ']><AnyConnectProfile>&e;</AnyConnectProfile>',
        200,
      ],
      ['attribute', (n) => '<AnyConnectProfile ' + 'a="1" '.repeat(n) + '/>', 50_000],
      ['<', (n) => '<'.repeat(n), 200_000],
    ];
    for (const [unit, text, size] of inputs) {
      const findings = lintProfile(text(size), options);
      assert.ok(findings.length > 0 && findings.length <= 200, `${findings.length} findings`);
      const small = Math.round(size / 16);
      const growth = costGrowth((n) => void lintProfile(text(n), options), small, size, 2 * size);
      assert.ok(growth < 4, `one ${unit} costs ${growth.toFixed(1)} times as much among ${size} as among ${small}`);
    }
  });
});
