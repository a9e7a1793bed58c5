import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { languageServerArgs } from '../../server/src/languageServerArgs';

test('hooksmith-language-server: stdio when no transport is named, the named one otherwise', () => {
  assert.deepEqual(languageServerArgs([]), { kind: 'serve', argv: ['--stdio'] });
  assert.deepEqual(languageServerArgs(['--stdio']), { kind: 'serve', argv: ['--stdio'] });
  assert.deepEqual(languageServerArgs(['--socket=7000']), { kind: 'serve', argv: ['--socket=7000'] });
  assert.deepEqual(languageServerArgs(['--clientProcessId=12']), { kind: 'serve', argv: ['--stdio', '--clientProcessId=12'] });
});

test('hooksmith-language-server: an unknown argument is a usage message, not a silent server', () => {
  const r = languageServerArgs(['start']);
  assert.equal(r.kind, 'usage');
  assert.match(r.kind === 'usage' ? r.text : '', /unknown argument 'start'/);
  assert.equal(languageServerArgs(['--version']).kind, 'print');
});
