import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-'));
fs.mkdirSync(path.join(work, 'script'));
fs.writeFileSync(path.join(work, 'script', 'OnConnect_routes.sh'), '#!/bin/sh\n');
const uriOf = (name: string): string => pathToFileURL(path.join(work, name)).toString();

const profile = (autoUpdate: string, extra = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ` +
  `<ClientInitialization>\n    <AutoUpdate>${autoUpdate}</AutoUpdate>${extra}\n  ` +
  `</ClientInitialization>\n</AnyConnectProfile>\n`;

/** The position of `needle` in the profile text (line, character). */
function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

suite('language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work);
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('publishes diagnostics on open with exact range, code, source and a doc link', async () => {
    const uri = uriOf('open.xml');
    const text = profile('yes');
    await client.open(uri, text);
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    const start = positionOf(text, 'yes');
    assert.deepEqual(d.range, { start, end: { line: start.line, character: start.character + 3 } });
    assert.equal(d.code, 'HS206');
    assert.equal(d.source, 'hooksmith');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    const doc = fileURLToPath(d.codeDescription!.href);
    assert.ok(fs.existsSync(doc), `${doc} exists`);
  });

  test('diagnostics follow incremental edits: fixed, then broken elsewhere', async () => {
    const uri = uriOf('edit.xml');
    const text = profile('yes');
    await client.open(uri, text);
    assert.equal((await client.forVersion(uri, 1)).diagnostics.length, 1);

    const at = positionOf(text, 'yes');
    await client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 3 } }, text: 'true' }]);
    assert.deepEqual((await client.forVersion(uri, 2)).diagnostics, []);

    const insertAt = positionOf(text, '  </ClientInitialization>');
    await client.change(uri, 3, [{ range: { start: insertAt, end: insertAt }, text: '    <LocalLanAcess>true</LocalLanAcess>\n' }]);
    const { diagnostics } = await client.forVersion(uri, 3);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['HS202', insertAt.line, 5]],
    );
    assert.match(diagnostics[0].message as string, /Did you mean <LocalLanAccess>/);
  });

  test('script references are checked against the script folder beside the profile', async () => {
    const uri = uriOf('scripts.xml');
    await client.open(
      uri,
      profile(
        'true',
        '\n    <OnConnectScript>OnConnect_routes.sh</OnConnectScript>\n    <OnDisconnectScript>OnDisconnect_gone.sh</OnDisconnectScript>',
      ),
    );
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['HS212', 'HS212', 'HS304']);
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = uriOf('close.xml');
    await client.open(uri, profile('nope'));
    await client.forVersion(uri, 1);
    const cleared = client.diagnostics(uri, (d) => d.length === 0);
    await client.close(uri);
    await cleared;
  });

  test('onSave mode holds diagnostics until save', async () => {
    client.settings = { validate: { run: 'onSave' } };
    await client.configurationChanged();
    const uri = uriOf('save.xml');
    const text = profile('true');
    await client.open(uri, text);
    assert.deepEqual((await client.forVersion(uri, 1)).diagnostics, [], 'validated on open');
    const at = positionOf(text, 'true');
    await client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'maybe' }]);
    assert.equal(await client.nothingPublished(uri), true, 'no diagnostics while typing');
    await client.save(uri);
    assert.equal((await client.forVersion(uri, 2)).diagnostics[0].code, 'HS206');
    client.settings = {};
    await client.configurationChanged();
  });

  test('manual mode validates only on the validate command', async () => {
    client.settings = { validate: { run: 'manual' } };
    await client.configurationChanged();
    const uri = uriOf('manual.xml');
    await client.open(uri, profile('maybe'));
    assert.equal(await client.nothingPublished(uri), true, 'not validated on open');
    const published = client.forVersion(uri, 1);
    const result = await client.executeCommand('hooksmith.server.validate', uri);
    assert.deepEqual(result, { validated: true, diagnostics: 1 });
    assert.equal((await published).diagnostics[0].code, 'HS206');
    assert.deepEqual(await client.executeCommand('hooksmith.server.validate', uriOf('not-open.xml')), {
      validated: false,
      reason: 'The document is not open in the language server.',
    });
    client.settings = {};
    await client.configurationChanged();
  });

  test('a dialect change re-validates open documents', async () => {
    const uri = uriOf('dialect.xml');
    await client.open(uri, profile('true', '\n    <TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent>'));
    assert.equal((await client.forVersion(uri, 1)).diagnostics[0].severity, DiagnosticSeverity.Information);
    const asError = client.diagnostics(uri, (d) => d[0]?.severity === DiagnosticSeverity.Error);
    client.settings = { profile: { dialect: 'cisco' } };
    await client.configurationChanged();
    assert.equal((await asError).diagnostics[0].code, 'HS212');
    client.settings = {};
    await client.configurationChanged();
  });

  test('hostile input gets one diagnostic and the server keeps answering', async () => {
    const cases: [string, string][] = [
      ['binary.xml', 'PK\u0003\u0004\u0000\u0000\u0001garbage'],
      ['deep.xml', '<AnyConnectProfile>' + '<a>'.repeat(20_000)],
      [
        'laughs.xml',
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' +
          Array.from({ length: 9 }, (_, i) => `<!ENTITY b${i} "${(i ? `&b${i - 1};` : '&a;').repeat(10)}">`).join('') +
          ']><AnyConnectProfile>&b8;</AnyConnectProfile>',
      ],
      ['system.xml', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><AnyConnectProfile>&x;</AnyConnectProfile>'],
    ];
    const expected: Record<string, string> = { 'binary.xml': 'HS110', 'deep.xml': 'HS109', 'laughs.xml': 'HS108', 'system.xml': 'HS107' };
    for (const [name, text] of cases) {
      const uri = uriOf(name);
      await client.open(uri, text);
      const { diagnostics } = await client.forVersion(uri, 1);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === expected[name]).length,
        1,
        `${name}: ${JSON.stringify(diagnostics.map((d) => d.code))}`,
      );
    }
    assert.ok(client.alive);
    assert.deepEqual(await client.executeCommand('hooksmith.server.validate', uriOf('binary.xml')), { validated: true, diagnostics: 1 });
  });

  test('a file with more problems than the limit shows the first ones and one HS113 on the first left out', async () => {
    const entries = (n: number): string => Array.from({ length: n }, (_, i) => `\n    <Unknown${i}/>`).join('');
    const many = profile('true', entries(1500));
    await client.open(uriOf('many.xml'), many);
    const byDefault = (await client.forVersion(uriOf('many.xml'), 1)).diagnostics;
    assert.equal(byDefault.length, 1001, 'the default limit is 1,000');
    assert.deepEqual(
      byDefault.slice(0, 1000).map((d) => d.code),
      Array(1000).fill('HS202'),
    );
    const note = byDefault[1000];
    assert.equal(note.code, 'HS113');
    assert.equal(note.severity, DiagnosticSeverity.Information);
    assert.equal(
      note.message,
      '500 more problems from here on are not shown: only the first 1,000 are (setting hooksmith.validate.maxProblems).',
    );
    assert.deepEqual(note.range.start, { line: positionOf(many, '<Unknown1000/>').line, character: 5 });

    const fewer = client.diagnostics(uriOf('many.xml'), (d) => d.length === 11);
    client.settings = { validate: { maxProblems: 10 } };
    await client.configurationChanged();
    const capped = (await fewer).diagnostics;
    assert.equal(capped[10].code, 'HS113');
    assert.match(String(capped[10].message), /^1,490 more problems/);
    assert.deepEqual(capped[10].range.start, { line: positionOf(many, '<Unknown10/>').line, character: 5 });
    const cleared = client.diagnostics(uriOf('many.xml'), (d) => d.length === 0);
    await client.close(uriOf('many.xml'));
    await cleared;
    client.settings = {};
    await client.configurationChanged();
  });

  test('a hook over the size limit gets one HS111 on its first line', async () => {
    const text = `#!/bin/sh\n${'logger up\n'.repeat(120_000)}`;
    const uri = uriOf('script/OnConnect_big.sh');
    client.settings = { validate: { maxFileSizeMB: 1 }, shellcheck: { enable: false } };
    await client.configurationChanged();
    await client.open(uri, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.end.character]),
      [['HS111', 0, 9]],
    );
    const cleared = client.diagnostics(uri, (d) => d.length === 0);
    await client.close(uri); // before the reset, so that ShellCheck never starts on 1.2 MB
    await cleared;
    client.settings = {};
    await client.configurationChanged();
  });
});
