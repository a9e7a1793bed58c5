// NetworkManager's 600 s script timeout is the family's default wherever a run starts without a
// timeout of its own: a hook test spec, not only the requests the family builds (CLI, lenses,
// tasks); the generic hooksmith.simulate.timeoutSeconds (60 s) is for the families without one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { checkSpec } from '../../../../../server/src/hooktest/check';
import { runTests, selectInstances } from '../../../../../server/src/hooktest/run';
import { readSimulateSettings, SimulationRequest } from '../../../../../server/src/protocol';
import { withFamilyDefaults } from '../../../../../server/src/simulate/simulate';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();

function spec(extra: string[]): string {
  const dir = path.join(box.dir, 'NetworkManager', 'dispatcher.d');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '10-echo'), '#!/bin/sh\necho "$2"\n', { mode: 0o755 });
  const file = path.join(box.dir, 'nm.hooktest.yaml');
  const text = [
    'tests:',
    '  - name: up echoes',
    '    family: nm-dispatcher',
    '    dir: NetworkManager/dispatcher.d',
    '    events: [up]',
    '    isolation: shims',
    ...extra,
    '    expect:',
    '      up: { stdout: up }',
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  return file;
}

suite("nm-dispatcher: NetworkManager's 600 s timeout is the default everywhere", () => {
  test('a hook test without a timeout runs each script with 600 s, one with its own timeout keeps it', async () => {
    const bare = checkSpec(fs.readFileSync(spec([]), 'utf8'), path.join(box.dir, 'nm.hooktest.yaml'));
    const [result] = await runTests(selectInstances(bare.tests));
    assert.equal(result.status, 'passed', JSON.stringify(result.failures ?? result.error));
    assert.ok(result.report?.notes.includes("Timeout: 600 s per script (NetworkManager's own)."), result.report?.notes.join('\n'));
    const own = checkSpec(fs.readFileSync(spec(['    timeout: 5s']), 'utf8'), path.join(box.dir, 'nm.hooktest.yaml'));
    const [mine] = await runTests(selectInstances(own.tests));
    assert.ok(mine.report?.notes.includes("Timeout: 5 s per script (NetworkManager's own is 600 s)."), mine.report?.notes.join('\n'));
  });

  test("the family's timeout stands before the generic setting; other families get the setting", () => {
    const settings = readSimulateSettings({ timeoutSeconds: 30 });
    assert.equal(withFamilyDefaults<SimulationRequest>({ kind: 'nm-dispatcher', events: ['up'], dir: '/d' }, settings).timeoutMs, 600_000);
    assert.equal(
      withFamilyDefaults<SimulationRequest>({ kind: 'nm-dispatcher', events: ['up'], dir: '/d', timeoutMs: 9000 }, settings).timeoutMs,
      9000,
    );
    assert.equal(
      withFamilyDefaults<SimulationRequest>({ kind: 'wg-quick', events: ['up'], config: '/wg0.conf' }, settings).timeoutMs,
      30_000,
    );
  });
});
