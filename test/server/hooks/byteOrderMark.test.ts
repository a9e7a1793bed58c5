import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { removeBomOnDisk } from '../../../server/src/hooks/byteOrderMark';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-bom-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

suite('removing a byte-order mark on disk', () => {
  test('a file of several hundred KB keeps every byte after the mark, in order, in the same inode and mode', () => {
    const file = path.join(dir, 'big.sh');
    // Bytes that differ along the file, so a chunk moved to the wrong place shows.
    const rest = Buffer.from(
      Array.from({ length: 300_000 }, (_, i) => `${i % 997} `)
        .join('')
        .slice(0, 300_001),
    );
    fs.writeFileSync(file, Buffer.concat([bom, rest]), { mode: 0o750 });
    const inode = fs.statSync(file).ino;
    assert.deepEqual(removeBomOnDisk(file), { changed: true });
    assert.ok(fs.readFileSync(file).equals(rest), 'the rest, unchanged');
    assert.equal(fs.statSync(file).ino, inode);
    assert.equal(fs.statSync(file).mode & 0o777, 0o750);
  });

  test('a file that is only the mark becomes empty; one without it is left as it is', () => {
    const only = path.join(dir, 'only.sh');
    fs.writeFileSync(only, bom);
    assert.deepEqual(removeBomOnDisk(only), { changed: true });
    assert.equal(fs.statSync(only).size, 0);
    const none = path.join(dir, 'none.sh');
    fs.writeFileSync(none, '#!/bin/sh\n');
    assert.deepEqual(removeBomOnDisk(none), { changed: false });
    assert.equal(fs.readFileSync(none, 'utf8'), '#!/bin/sh\n');
  });
});
