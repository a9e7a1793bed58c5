import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { shellcheckCodeActions } from '../../../server/src/shellcheck/codeActions';
import { diagnosticsOf, shellcheckHook } from './support';

const params = (doc: TextDocument, diagnostics: Diagnostic[], only?: string[]): CodeActionParams => ({
  textDocument: { uri: doc.uri },
  range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  context: { diagnostics, ...(only ? { only } : {}) },
});

/** The document after applying an action's edit. */
function applied(doc: TextDocument, edits: TextEdit[] | undefined): string {
  return TextDocument.applyEdits(doc, edits ?? []);
}

suite('ShellCheck quick fixes', () => {
  test('SC2086 offers one preferred quick fix that quotes the expansion', async () => {
    const { doc, result } = await shellcheckHook('/v/OnConnect_q.sh', '#!/bin/sh\necho $1\n');
    const actions = shellcheckCodeActions(params(doc, diagnosticsOf(result)), doc);
    assert.equal(actions.length, 1);
    const [action] = actions;
    assert.equal(action.title, 'Fix SC2086: Double quote to prevent globbing and word splitting.');
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.equal(action.isPreferred, true);
    assert.deepEqual(action.diagnostics, diagnosticsOf(result));
    assert.equal(applied(doc, action.edit?.changes?.[doc.uri]), '#!/bin/sh\necho "$1"\n');
  });

  test('each finding gets its own fix', async () => {
    const { doc, result } = await shellcheckHook('/v/OnConnect_q.sh', '#!/bin/sh\necho $1 $2\n');
    const texts = shellcheckCodeActions(params(doc, diagnosticsOf(result)), doc).map((a) => applied(doc, a.edit?.changes?.[doc.uri]));
    assert.deepEqual(texts, ['#!/bin/sh\necho "$1" $2\n', '#!/bin/sh\necho $1 "$2"\n']);
  });

  test("a Shorewall hook's fix edits its own lines", async () => {
    const { doc, result } = await shellcheckHook('/etc/shorewall/start', 'logger $1\nreturn 0\n');
    const [action] = shellcheckCodeActions(params(doc, diagnosticsOf(result)), doc);
    assert.equal(applied(doc, action.edit?.changes?.[doc.uri]), 'logger "$1"\nreturn 0\n');
  });

  test('no fix once the document has changed, for other sources, or when quick fixes are not asked for', async () => {
    const { doc, result } = await shellcheckHook('/v/OnConnect_q.sh', '#!/bin/sh\necho $1\n');
    const diagnostics = diagnosticsOf(result);
    const edited = TextDocument.create(doc.uri, doc.languageId, 2, '#!/bin/sh\n# edited\necho $1\n');
    assert.deepEqual(shellcheckCodeActions(params(edited, diagnostics), edited), []);
    assert.deepEqual(
      shellcheckCodeActions(
        params(
          doc,
          diagnostics.map((d) => ({ ...d, source: 'hooksmith' })),
        ),
        doc,
      ),
      [],
    );
    assert.deepEqual(shellcheckCodeActions(params(doc, diagnostics, [CodeActionKind.Source]), doc), []);
    assert.equal(shellcheckCodeActions(params(doc, diagnostics, [CodeActionKind.QuickFix]), doc).length, 1);
    assert.deepEqual(
      shellcheckCodeActions(
        params(
          doc,
          diagnostics.map((d) => ({ ...d, data: { kind: 'shellcheck', version: 1, edits: 'x' } })),
        ),
        doc,
      ),
      [],
      'malformed data',
    );
  });
});
