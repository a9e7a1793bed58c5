import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { providedTasks, requestFromTask, resolveTarget } from '../../../../server/src/simulate/targets';
import { folderTargetContext } from '../../../helpers/targetContext';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-nm-targets-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
for (const file of [
  'laptop/NetworkManager/dispatcher.d/90-vpn',
  'laptop/NetworkManager/dispatcher.d/pre-down.d/10-umount',
  'notes/dispatcher.md',
]) {
  fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), '#!/bin/sh\n');
}
const dir = path.join(root, 'laptop/NetworkManager/dispatcher.d');

const ctx = folderTargetContext(root);

suite('nm-dispatcher: what its commands and tasks run', () => {
  test('vpn-up then vpn-down on the open script (a pre-down.d one too) simulates its dispatcher.d, with the 600 s timeout', async () => {
    const expected = { request: { kind: 'nm-dispatcher', events: ['vpn-up', 'vpn-down'], dir, timeoutMs: 600_000 } };
    const active = (p: string) => ({
      command: 'hooksmith.simulateNmVpnUpDown',
      active: { path: path.join(dir, p), languageId: 'shellscript' },
    });
    assert.deepEqual(await resolveTarget(active('90-vpn'), ctx), expected);
    assert.deepEqual(await resolveTarget(active('pre-down.d/10-umount'), ctx), expected);
    assert.deepEqual(await resolveTarget({ command: 'hooksmith.simulateNmUpDown', resource: { path: dir, folder: true } }, ctx), {
      request: { ...expected.request, events: ['up', 'down'] },
    });
    assert.deepEqual(await resolveTarget({ command: 'hooksmith.simulateNmVpnUpDown' }, ctx), expected, 'the one folder of the workspace');
  });

  test('a provided task per dispatcher.d; a tasks.json entry becomes a request, or says what is missing', async () => {
    const tasks = (await providedTasks(ctx)).filter((t) => t.definition.simulate === 'nm-dispatcher');
    assert.deepEqual(
      tasks.map((t) => [t.definition.dir, t.label]),
      [['laptop/NetworkManager/dispatcher.d', 'simulate NetworkManager vpn-up then vpn-down — laptop/NetworkManager/dispatcher.d']],
    );
    const ok = requestFromTask(
      { type: 'hooksmith', simulate: 'nm-dispatcher', events: ['up'], dir: 'laptop/NetworkManager/dispatcher.d', interface: 'wlan0' },
      root,
    );
    assert.ok(ok.ok);
    assert.equal(ok.request.dir, dir);
    assert.equal(ok.request.interface, 'wlan0');
    assert.deepEqual(ok.request.events, ['up']);
    const noDir = requestFromTask({ type: 'hooksmith', simulate: 'nm-dispatcher' }, root);
    assert.match(noDir.ok ? '' : noDir.error, /give "dir" \(the dispatcher\.d folder\)/);
    const badAction = requestFromTask({ type: 'hooksmith', simulate: 'nm-dispatcher', events: ['connect'], dir: 'x' }, root);
    assert.match(badAction.ok ? '' : badAction.error, /"events" must be a non-empty list of hostname, pre-up, up/);
  });
});
