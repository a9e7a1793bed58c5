import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe as suite, test } from 'node:test';
import { ByteText, capture } from '../../../server/src/simulate/output';

const bytes = (...xs: number[]): Buffer => Buffer.from(xs);

suite('ByteText: hook output bytes as text, nothing lost', () => {
  test('a character split across chunks is held back and joined, not escaped', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const text = new ByteText();
    assert.equal(text.write(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)])), 'a');
    assert.equal(text.write(euro.subarray(1, 2)), '');
    assert.equal(text.write(Buffer.concat([euro.subarray(2), Buffer.from('b')])), '€b');
    assert.equal(text.end(), '');
  });

  test('overlong forms, surrogates, bytes past U+10FFFF and stray continuations are escaped byte by byte', () => {
    const decoded = new ByteText().decode(
      Buffer.concat([
        bytes(0xc0, 0x80), // overlong NUL
        bytes(0xed, 0xa0, 0x80), // a UTF-16 surrogate
        bytes(0xf5, 0x80, 0x80, 0x80), // past U+10FFFF
        bytes(0x80),
        Buffer.from('ok'),
      ]),
    );
    assert.equal(decoded, '\\xc0\\x80\\xed\\xa0\\x80\\xf5\\x80\\x80\\x80\\x80ok');
  });

  test('a sequence cut off by the end of the stream is escaped at the end; NUL is escaped; colour codes pass', () => {
    const text = new ByteText();
    assert.equal(text.write(Buffer.concat([Buffer.from('\x1b[31mred\x1b[0m\0'), bytes(0xf0, 0x9f)])), '\x1b[31mred\x1b[0m\\x00');
    assert.equal(text.end(), '\\xf0\\x9f');
  });
});

suite('capture: the cap counts bytes of the hook output', () => {
  test('a cap through the middle of a character keeps the bytes before it, escaped, and says how many were dropped', async () => {
    const stream = new PassThrough();
    let streamed = '';
    const captured = capture(stream, 4, (t) => (streamed += t));
    stream.end(Buffer.from('ab€', 'utf8')); // 5 bytes: the cap falls after the euro's second byte
    await new Promise((resolve) => stream.once('end', resolve));
    const note = '\n[hooksmith: output truncated after 4 bytes]';
    assert.deepEqual(captured(), { text: `ab\\xe2\\x82${note} (1 bytes dropped)\n`, truncated: true });
    assert.equal(streamed, `ab\\xe2\\x82${note}\n`);
  });
});
