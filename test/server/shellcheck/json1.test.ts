import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { parseJson1 } from '../../../server/src/shellcheck/json1';

const comment = { file: '-', line: 2, endLine: 2, column: 6, endColumn: 8, level: 'info', code: 2086, message: 'Double quote.', fix: null };

suite('json1 reports', () => {
  test('comments on the text from stdin only; one of an unexpected shape is skipped', () => {
    const report = JSON.stringify({
      comments: [
        comment,
        { ...comment, file: 'lib.sh', code: 2034 },
        { ...comment, level: 'fatal', code: 1 },
        { ...comment, line: 0, code: 2 },
      ],
    });
    assert.deepEqual(
      parseJson1(report)?.map((c) => c.code),
      [2086],
    );
  });

  test('not json1 at all: undefined', () => {
    assert.equal(parseJson1(''), undefined);
    assert.equal(parseJson1('In - line 1: oops'), undefined);
    assert.equal(parseJson1('[]'), undefined);
  });

  test('a malformed fix is left out, the finding kept', () => {
    const [c] = parseJson1(JSON.stringify({ comments: [{ ...comment, fix: { replacements: [{ line: 2 }] } }] })) ?? [];
    assert.equal(c.code, 2086);
    assert.equal(c.fix, undefined);
  });
});
