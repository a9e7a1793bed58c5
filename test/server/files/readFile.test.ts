import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe as suite, test } from 'node:test';
import { readRegularFile, readRegularFileSync, readStream } from '../../../server/src/files/readFile';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-readfile-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const at = (name: string): string => path.join(work, name);

fs.writeFileSync(at('small'), 'hello\n');
fs.writeFileSync(at('big'), 'x'.repeat(100_000));
assert.equal(spawnSync('mkfifo', [at('fifo')]).status, 0);
fs.symlinkSync(at('fifo'), at('to-fifo'));
fs.symlinkSync('/dev/zero', at('to-zero'));
fs.symlinkSync(at('small'), at('to-small'));

suite('reading workspace files', { timeout: 20_000 }, () => {
  for (const [how, read] of [
    ['async', readRegularFile],
    ['sync', async (f: string, n: number) => readRegularFileSync(f, n)],
  ] as const) {
    test(`${how}: a regular file, also through a link, is read whole up to the limit`, async () => {
      for (const file of ['small', 'to-small']) {
        const r = await read(at(file), 6);
        assert.equal(r.kind, 'read');
        assert.equal(r.kind === 'read' && r.bytes.toString(), 'hello\n');
      }
    });

    test(`${how}: one byte over the limit is too large, and only the head is kept`, async () => {
      const r = await read(at('big'), 99_999);
      assert.equal(r.kind, 'too-large');
      assert.equal(r.kind === 'too-large' && r.head.length, 8192);
    });

    test(
      `${how}: a FIFO, a link to one and a link to /dev/zero are refused without a read ` + '(no writer needed, no endless bytes)',
      async () => {
        assert.deepEqual(await read(at('fifo'), 1024), { kind: 'not-regular', what: 'a FIFO (named pipe)' });
        assert.deepEqual(await read(at('to-fifo'), 1024), { kind: 'not-regular', what: 'a FIFO (named pipe)' });
        assert.deepEqual(await read(at('to-zero'), 1024), { kind: 'not-regular', what: 'a character device' });
        assert.deepEqual(await read(work, 1024), { kind: 'not-regular', what: 'a folder' });
        assert.deepEqual(await read(at('nothing'), 1024), { kind: 'missing' });
      },
    );
  }

  test('a stream that never ends is read only to the limit', async () => {
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(4096, 0x61));
      },
    });
    const r = await readStream(endless, 100_000);
    assert.equal(r.kind, 'too-large');
    endless.destroy();
    const short = await readStream(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3);
    assert.equal(short.kind === 'read' && short.bytes.toString(), 'abc');
  });
});
