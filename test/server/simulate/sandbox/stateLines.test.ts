import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseState } from '../../../../server/src/simulate/sandbox/state';
import { costGrowth } from '../../../helpers/scaling';

const routes = (line: string): string => `@@hooksmith routes\n${line}\n`;

test('a route that follows the carrier reads the same with or without linkdown, whatever the blanks', () => {
  const up = parseState(routes('10.0.0.0/8 dev tun0 scope link'));
  assert.deepEqual(parseState(routes('10.0.0.0/8   dev tun0 scope link  linkdown')), up);
  assert.deepEqual(parseState(routes('10.0.0.0/8 dev tun0\tscope link linkdown ')), up);
  assert.deepEqual(parseState(routes('10.0.0.0/8 dev linkdowned')).routes, ['10.0.0.0/8 dev linkdowned']);
});

test('a probe line with a long run of blanks is read in linear time (linkdown was looked for from each blank)', (t) => {
  const line = (size: number): string => routes(`10.0.0.0/8${' '.repeat(size)}dev tun0`);
  assert.deepEqual(parseState(line(50_000)).routes, ['10.0.0.0/8 dev tun0']);
  const growth = costGrowth((size) => void parseState(line(size)), 1_000, 32_000, 640_000);
  t.diagnostic(`a blank costs ${growth.toFixed(2)} times as much in a run of 32,000 as in 1,000`);
  assert.ok(growth < 4, `one blank costs ${growth.toFixed(1)} times as much in a run of 32,000 as in 1,000`);
});
