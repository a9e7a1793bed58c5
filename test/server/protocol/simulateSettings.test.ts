import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { withSettings } from '../../../client/src/simulate/request';
import { requestFromTask } from '../../../server/src/simulate/targets';
import { readSimulateSettings, SimulationRequest } from '../../../server/src/protocol';
import { readSettings, settingsSchema } from '../../../server/src/settings';
import { checkSimulationRequest } from '../../../server/src/simulate/simulate';

const hookRequest: SimulationRequest = { kind: 'anyconnect', events: ['connect'], script: '/vpn/OnConnect_x.sh' };

suite('hooksmith.simulate settings: one reading for the client and the server', () => {
  test('a timeout above 3600 s is clamped to the hour, and the server accepts the request it fills', () => {
    const filled = withSettings(hookRequest, readSimulateSettings({ timeoutSeconds: 7200 }));
    assert.equal(filled.timeoutMs, 3_600_000);
    assert.equal(checkSimulationRequest(filled).timeoutMs, 3_600_000);
    assert.equal(readSettings({ simulate: { timeoutSeconds: 7200 } }).simulate.timeoutSeconds, 3600);
  });

  test('a task asking for more than an hour is clamped too, not refused by the server', () => {
    const task = requestFromTask({ type: 'hooksmith', simulate: 'connect', script: 'OnConnect_x.sh', timeoutSeconds: 5000 }, '/w');
    assert.ok(task.ok);
    assert.equal(checkSimulationRequest(withSettings(task.request, readSimulateSettings({}))).timeoutMs, 3_600_000);
  });

  test('timeout 0 is what the setting says: the minimum, 1 s, in the client and in the server alike', () => {
    const spec = settingsSchema.find((s) => s.key === 'simulate.timeoutSeconds');
    assert.equal(spec?.minimum, 1);
    assert.match(spec?.markdownDescription ?? '', /From 1 to 3600: a smaller value \(0 too\) counts as 1, a larger one as 3600/);
    assert.equal(readSimulateSettings({ timeoutSeconds: 0 }).timeoutSeconds, 1);
    assert.equal(readSettings({ simulate: { timeoutSeconds: 0 } }).simulate.timeoutSeconds, 1);
    assert.equal(withSettings(hookRequest, readSimulateSettings({ timeoutSeconds: 0 })).timeoutMs, 1000);
  });

  test('values of the wrong type are the defaults; grace and gap are clamped to their bounds', () => {
    assert.deepEqual(readSimulateSettings({ timeoutSeconds: 'soon', graceMs: -5, gapMs: 1e12, env: { A: 'x', B: 3 } }), {
      timeoutSeconds: 60,
      graceMs: 0,
      gapMs: 3_600_000,
      env: { A: 'x' },
    });
  });
});
