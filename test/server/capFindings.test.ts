import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { capFindings } from '../../server/src/capFindings';
import { finding } from '../../server/src/diagnostics';

const unknownAt = (start: number) => finding('HS202', start, start + 3, `unknown at ${start}`);

test('findings within the limit come back as they are', () => {
  const findings = [unknownAt(9), unknownAt(1)];
  assert.deepEqual(capFindings(findings, 2), findings);
});

test('over the limit: the first ones in the file, then one HS113 on the first left out', () => {
  const findings = [50, 10, 40, 20, 30].map(unknownAt);
  const capped = capFindings(findings, 2);
  assert.deepEqual(
    capped.map((f) => [f.code, f.start, f.end]),
    [
      ['HS202', 10, 13],
      ['HS202', 20, 23],
      ['HS113', 30, 33],
    ],
  );
  assert.equal(capped[2].severity, 'information');
  assert.equal(
    capped[2].message,
    '3 more problems from here on are not shown: only the first 2 are (setting hooksmith.validate.maxProblems).',
  );
});

test('160,000 findings in reverse order are cut to the first 1,000 in the file', () => {
  const findings = Array.from({ length: 160_000 }, (_, i) => unknownAt(160_000 - i));
  const capped = capFindings(findings, 1000);
  assert.equal(capped.length, 1001);
  assert.deepEqual([capped[0].start, capped[999].start, capped[1000].start], [1, 1000, 1001]);
  assert.match(capped[1000].message, /^159,000 more problems/);
});
