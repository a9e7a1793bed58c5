import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { reasonComparison } from '../../../../server/src/families/ocserv/dispatch';
import { costGrowth } from '../../../helpers/scaling';

// Found by fuzzing (seed 1152757007, case 38,627): `if read -r CISCO_VPN_USERNACISCO_VPN_...` with a 30 KB word in the condition took a
// second of CPU, as every position inside the word started a match of the value before `= $REASON` that ran on to the word's end.
const longWord = (size: number): string => 'CISCO_VPN_USERNA'.repeat(Math.ceil(size / 16)).slice(0, size);

test('the comparison with $REASON is found after a long word, and one in a word or quotes is read as before', () => {
  assert.deepEqual(reasonComparison(`read -r ${longWord(100_000)} && [ connect != "$REASON" ]`), { value: 'connect', negated: true });
  assert.deepEqual(reasonComparison(`[ x ] || [ "\${REASON}" == host-update ]`), { value: 'host-update', negated: false });
  assert.deepEqual(reasonComparison(`test x"connect"=$REASON`), { value: 'connect', negated: false });
  assert.deepEqual(reasonComparison(`test ab-cd = $REASON`), { value: 'ab-cd', negated: false });
  assert.equal(reasonComparison(`read -r ${longWord(100_000)}`), undefined);
});

test('reading an if condition costs the same per character at 32 KB as at 2 KB (it was quadratic in a long word)', () => {
  const growth = costGrowth((size) => reasonComparison(`read -r ${longWord(size)}; [ x = "$REASON" ]`), 2_000, 32_000, 3_000_000);
  // Linear: about 1. The old expression: about 16.
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
