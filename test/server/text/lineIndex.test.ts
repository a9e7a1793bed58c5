import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../../server/src/text/lineIndex';

test('offsets map to lines and UTF-16 columns for LF, CRLF and CR', () => {
  const text = 'ab\ncd\r\nef\rgh€𝄞x';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(lines.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(lines.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(lines.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 3, character: 5 });
  assert.deepEqual(lines.positionAt(10_000), { line: 3, character: 6 });
  for (let offset = 0; offset <= text.length; offset++) {
    if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // between CR and LF is not a position
    assert.equal(lines.offsetAt(lines.positionAt(offset)), offset, `offset ${offset}`);
  }
});
