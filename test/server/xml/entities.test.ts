import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanXml } from '../../../server/src/xml/scanner';
import { codes, describe } from '../../helpers/findings';
import { costGrowth } from '../../helpers/scaling';

test("names of Object's members are undefined entities, not Object's members", () => {
  const doc = scanXml('<a>&constructor;&toString;&__proto__;&lt;</a>');
  assert.equal(doc.root?.texts[0].value, '<');
  assert.deepEqual(codes(doc.problems), ['HS106', 'HS106', 'HS106'], describe(doc.problems));
  assert.match(doc.problems[0].message, /'&constructor;' is not defined/);
});

test('a text of bare ampersands is decoded in linear time', (t) => {
  // Found by fuzzing: each '&' looked for the next ';' to the end of the text (quadratic: 160 KB took 0.4 s, 1 MB minutes).
  const text = `<a>${'&'.repeat(1_000_000)}&lt;</a>`;
  const doc = scanXml(text);
  assert.equal(doc.root?.texts[0].value, `${'&'.repeat(1_000_000)}<`);
  assert.equal(doc.problems.length, 100, 'one HS106 per bare &, up to the cap');
  assert.deepEqual({ start: doc.problems[99].start, end: doc.problems[99].end }, { start: 102, end: 103 });
  const growth = costGrowth((size) => void scanXml(`<a>${'&'.repeat(size)}&lt;</a>`), 4_000, 128_000, 256_000);
  t.diagnostic(`an ampersand costs ${growth.toFixed(2)} times as much among 128,000 as among 4,000`);
  assert.ok(growth < 4, `an ampersand costs ${growth.toFixed(1)} times as much among 128,000 as among 4,000`);
});
