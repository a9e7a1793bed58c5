import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { shortRun } from './shortRun';
import { cliArgsTarget } from './targets/cliArgs';

shortRun(cliArgsTarget, 7104);

// Found by the fuzz run (seed 7104): `mappings['__proto__'] = id` set the prototype, not a mapping.
test('--family __proto__=anyconnect keeps its mapping, and --env __proto__=x its variable', () => {
  const parsed = parseArgs(['lint', '--family', '__proto__=anyconnect', 'a']);
  assert.ok(parsed.command === 'lint');
  assert.deepEqual(Object.entries(parsed.families), [['__proto__', 'anyconnect']]);
  const sim = parseArgs(['simulate', 'connect', '--script', 'x', '--env', '__proto__=x']);
  assert.ok(sim.command === 'simulate');
  assert.deepEqual(Object.entries(sim.request.env ?? {}), [['__proto__', 'x']]);
});
