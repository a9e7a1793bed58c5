import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { DiagnosticSeverity, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { marked } from '../../helpers/marked';
import { diagnosticsOf, shellcheckHook } from './support';

const hookPath = '/srv/vpn/OnConnect_routes.sh';

/** ShellCheck's diagnostics with `code` on an AnyConnect hook, and the LSP ranges of the «marked» spans. */
async function check(source: string, code: string) {
  const { text, spans } = marked(source);
  const { doc, result } = await shellcheckHook(hookPath, text);
  const expected = spans.map((s): Range => ({ start: doc.positionAt(s.start), end: doc.positionAt(s.end) }));
  return { doc, found: diagnosticsOf(result).filter((d) => d.code === code), expected };
}

suite('ShellCheck findings as diagnostics', () => {
  test('SC2086 on echo $1: the exact range, code, source, wiki link and severity', async () => {
    const { found, expected } = await check('#!/bin/sh\necho «$1»\n', 'SC2086');
    assert.equal(found.length, 1);
    const [d] = found;
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 7 } });
    assert.deepEqual(d.range, expected[0]);
    assert.equal(d.source, 'shellcheck');
    assert.equal(d.codeDescription?.href, 'https://www.shellcheck.net/wiki/SC2086');
    assert.equal(d.severity, DiagnosticSeverity.Information);
    assert.equal(d.message, 'Double quote to prevent globbing and word splitting.');
  });

  test('a tab counts as one character', async () => {
    const { found, expected } = await check('#!/bin/sh\nif true; then\n\t\techo «$1»\nfi\n', 'SC2086');
    assert.deepEqual(
      found.map((d) => d.range),
      expected,
    );
    assert.deepEqual(expected[0].start, { line: 2, character: 7 });
  });

  test('multi-byte characters before a finding and inside it: ranges in UTF-16 code units', async () => {
    // é is one code unit, 😀 two; ShellCheck counts both as one column.
    const before = await check('#!/bin/sh\necho "é😀" «$1»\n', 'SC2086');
    assert.deepEqual(
      before.found.map((d) => d.range),
      before.expected,
    );
    assert.equal(before.expected[0].start.character, 11, 'code points would say 10');
    const inside = await check("#!/bin/sh\necho «'$HOME 😀é'» x\n", 'SC2016');
    assert.deepEqual(
      inside.found.map((d) => d.range),
      inside.expected,
    );
    assert.equal(inside.expected[0].end.character, 16, 'code points would say 15');
  });

  test('CRLF line ends do not shift the lines after them', async () => {
    const { found, expected } = await check('#!/bin/sh\r\necho «$1»\r\necho «$2»\r\n', 'SC2086');
    assert.deepEqual(
      found.map((d) => d.range),
      expected,
    );
  });

  test('levels map to severities: error, warning, information, hint for style', async () => {
    const { text } = marked("#!/bin/sh\nfoo=1\necho `date` '$HOME'\n");
    const severities = new Map(diagnosticsOf((await shellcheckHook(hookPath, text)).result).map((d) => [d.code, d.severity]));
    assert.equal(severities.get('SC2034'), DiagnosticSeverity.Warning);
    assert.equal(severities.get('SC2016'), DiagnosticSeverity.Information);
    assert.equal(severities.get('SC2006'), DiagnosticSeverity.Hint);
    const broken = diagnosticsOf((await shellcheckHook(hookPath, '#!/bin/sh\n[ "$1" = x]\n')).result);
    assert.equal(broken.find((d) => d.code === 'SC1020')?.severity, DiagnosticSeverity.Error);
  });

  test('a fix becomes edits that produce what ShellCheck proposes', async () => {
    const { doc, found } = await check('#!/bin/sh\necho «$1» «$2»\n', 'SC2086');
    assert.equal(found.length, 2);
    const data = found[1].data as { kind: string; version: number; edits: { range: Range; newText: string }[] };
    assert.equal(data.kind, 'shellcheck');
    assert.equal(data.version, doc.version);
    assert.equal(TextDocument.applyEdits(doc, data.edits), '#!/bin/sh\necho $1 "$2"\n');
  });

  test('a fix after multi-byte characters lands at the same place', async () => {
    const { doc, found } = await check('#!/bin/sh\necho "😀" «$1»\n', 'SC2086');
    const { edits } = found[0].data as { edits: { range: Range; newText: string }[] };
    assert.equal(TextDocument.applyEdits(doc, edits), '#!/bin/sh\necho "😀" "$1"\n');
  });

  test('a finding without a fix carries no data', async () => {
    const { found } = await check('#!/bin/sh\n«foo»=1\n', 'SC2034');
    assert.equal(found.length, 1);
    assert.equal(found[0].data, undefined);
  });
});
