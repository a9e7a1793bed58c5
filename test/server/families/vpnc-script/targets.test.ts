import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { providedTasks, requestFromTask, resolveTarget } from '../../../../server/src/simulate/targets';
import { folderTargetContext } from '../../../helpers/targetContext';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-vpnc-targets-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  'vpn/vpnc-script-office': '#!/bin/sh\n',
  'etc/vpnc/connect.d/10-a': 'true\n',
  'notes/vpnc-script.md': '# notes\n',
})) {
  fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

const ctx = folderTargetContext(root);

suite('vpnc-script: what its commands and tasks run', () => {
  test('the session command on the open script, on a hook-folder file (its stock layout), and a choice when nothing is open', async () => {
    const script = path.join(root, 'vpn/vpnc-script-office');
    const session = { kind: 'vpnc-script', events: ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'] };
    assert.deepEqual(
      await resolveTarget({ command: 'hooksmith.simulateVpncSession', active: { path: script, languageId: 'shellscript' } }, ctx),
      { request: { ...session, script } },
    );
    const hook = path.join(root, 'etc/vpnc/connect.d/10-a');
    assert.deepEqual(
      await resolveTarget({ command: 'hooksmith.simulateVpncConnectDisconnect', active: { path: hook, languageId: 'plaintext' } }, ctx),
      {
        request: { kind: 'vpnc-script', events: ['connect', 'disconnect'], hooksDir: path.join(root, 'etc/vpnc') },
      },
    );
    const answer = await resolveTarget({ command: 'hooksmith.simulateVpncSession' }, ctx);
    assert.ok('pick' in answer);
    assert.deepEqual(
      answer.pick.choices.map((c) => c.fields),
      [{ script }, { hooksDir: path.join(root, 'etc/vpnc') }],
      'the notes file is not a script',
    );
  });

  test('provided tasks run a whole session; a tasks.json entry becomes a request, or a message saying what is missing', async () => {
    const tasks = (await providedTasks(ctx)).filter((t) => t.definition.simulate === 'vpnc-script');
    assert.deepEqual(
      tasks.map((t) => [t.definition.script ?? t.definition.hooksDir, t.label]),
      [
        ['vpn/vpnc-script-office', 'simulate vpnc-script session — vpn/vpnc-script-office'],
        ['etc/vpnc', 'simulate vpnc-script session — etc/vpnc'],
      ],
    );
    const ok = requestFromTask({ type: 'hooksmith', simulate: 'vpnc-script', events: ['connect'], hooksDir: 'etc/vpnc' }, root);
    assert.ok(ok.ok);
    assert.deepEqual(
      { ...ok.request, env: undefined },
      { ...ok.request, kind: 'vpnc-script', events: ['connect'], hooksDir: path.join(root, 'etc/vpnc'), env: undefined },
    );
    const neither = requestFromTask({ type: 'hooksmith', simulate: 'vpnc-script' }, root);
    assert.equal(neither.ok, false);
    assert.match(neither.ok ? '' : neither.error, /give "script" \(the vpnc-script\) or "hooksDir"/);
    const badReason = requestFromTask({ type: 'hooksmith', simulate: 'vpnc-script', events: ['up'], script: 'x' }, root);
    assert.match(
      badReason.ok ? '' : badReason.error,
      /"events" must be a non-empty list of pre-init, connect, attempt-reconnect, reconnect, disconnect/,
    );
  });
});
