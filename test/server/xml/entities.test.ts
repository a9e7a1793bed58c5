import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanXml } from '../../../server/src/xml/scanner';
import { codes, describe } from '../../helpers/findings';
import { cpuMs } from '../../helpers/cpuTime';

test("names of Object's members are undefined entities, not Object's members", () => {
  const doc = scanXml('<a>&constructor;&toString;&__proto__;&lt;</a>');
  assert.equal(doc.root?.texts[0].value, '<');
  assert.deepEqual(codes(doc.problems), ['HS106', 'HS106', 'HS106'], describe(doc.problems));
  assert.match(doc.problems[0].message, /'&constructor;' is not defined/);
});

test('a text of bare ampersands is decoded in linear time', () => {
  // Found by fuzzing: each '&' looked for the next ';' to the end of the text (quadratic: 160 KB took 0.4 s, 1 MB minutes).
  const text = `<a>${'&'.repeat(1_000_000)}&lt;</a>`;
  const { result: doc, ms } = cpuMs(() => scanXml(text));
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms of CPU`);
  assert.equal(doc.root?.texts[0].value, `${'&'.repeat(1_000_000)}<`);
  assert.equal(doc.problems.length, 100, 'one HS106 per bare &, up to the cap');
  assert.deepEqual({ start: doc.problems[99].start, end: doc.problems[99].end }, { start: 102, end: 103 });
});
