import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { splitArgs } from '../../../../server/src/families/openvpn/argv';

/** The words OpenVPN's parse_line makes of a value, or what it refuses. */
function words(value: string): string[] | string {
  const split = splitArgs(value);
  if ('words' in split) return split.words.map((w) => w.text);
  return 'unclosed' in split ? `unclosed ${split.unclosed.quote} at ${split.unclosed.at}` : `bad backslash at ${split.badBackslash.at}`;
}

suite('OpenVPN splits a directive as parse_line does', () => {
  test('a quote opens a word only where a word starts, and its closing quote ends the word', () => {
    assert.deepEqual(words('it"s fine'), ['it"s', 'fine']);
    assert.deepEqual(words('"up.sh"lab'), ['up.sh', 'lab']);
    assert.deepEqual(words(`'a b'"c d" ""`), ['a b', 'c d', '']);
  });

  test('# or ; where a word would start ends the line; inside a word it is a character', () => {
    assert.deepEqual(words('up.sh # run at connect'), ['up.sh']);
    assert.deepEqual(words('up.sh ;note'), ['up.sh']);
    assert.deepEqual(words('a#b c;d'), ['a#b', 'c;d']);
  });

  test('a backslash escapes only \\, " and blanks (outside single quotes); any other is refused at the backslash', () => {
    assert.deepEqual(words('a\\ b "x\\"y" c\\\\d'), ['a b', 'x"y', 'c\\d']);
    assert.deepEqual(words(`'C:\\temp\\x'`), ['C:\\temp\\x']);
    assert.equal(words('ok "C:\\temp"'), 'bad backslash at 6');
    assert.equal(words('C:\\temp'), 'bad backslash at 2');
  });

  test('a quote left open is refused at the quote, double or single', () => {
    assert.equal(words('up.sh "lab'), 'unclosed " at 6');
    assert.equal(words("up.sh 'lab"), "unclosed ' at 6");
  });

  test('word offsets cover the quotes', () => {
    const split = splitArgs(' "a b" c');
    assert.ok('words' in split);
    assert.deepEqual(
      split.words.map((w) => [w.start, w.end]),
      [
        [1, 6],
        [7, 8],
      ],
    );
  });
});
