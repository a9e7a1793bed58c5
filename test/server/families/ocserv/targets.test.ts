import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, describe as suite, test } from 'node:test';
import { configTypeOf, lintAndWire } from '../../../../server/src/config/configDocs';
import { wiring } from '../../../../server/src/config/wiring';
import { providedTasks, requestFromTask, resolveTarget } from '../../../../server/src/simulate/targets';
import { folderTargetContext } from '../../../helpers/targetContext';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-ocserv-targets-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => wiring.clear());
const files: Record<string, string> = {
  'vpn/ocserv.conf': 'auth = plain\ntcp-port = 443\nconnect-script = /etc/ocserv/login-hook\n',
  'vpn/login-hook': '#!/bin/sh\nexit 0\n',
  'lab/ocserv-lab.conf': 'auth = plain\ntcp-port = 443\n',
  'notes/ocserv.md': '# notes\n',
};
for (const [file, text] of Object.entries(files)) {
  fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text, { mode: 0o755 });
}

const ctx = folderTargetContext(root);

/** Lints vpn/ocserv.conf, which wires its scripts, as the server does when the workspace is scanned. */
function wireConfig(): void {
  const config = path.join(root, 'vpn/ocserv.conf');
  const text = files['vpn/ocserv.conf'];
  lintAndWire(configTypeOf(config, text)!, config, text, { roots: [root], serverPaths: {} });
}

suite('ocserv: what its commands and tasks run', () => {
  test('the commands on the open config, on a script it wires, a choice among the configs when nothing is open', async () => {
    const config = path.join(root, 'vpn/ocserv.conf');
    assert.deepEqual(
      await resolveTarget({ command: 'hooksmith.simulateOcserv', active: { path: config, languageId: 'properties' } }, ctx),
      { request: { kind: 'ocserv', events: ['connect', 'disconnect'], config } },
    );
    wireConfig();
    const script = path.join(root, 'vpn/login-hook');
    assert.deepEqual(
      await resolveTarget({ command: 'hooksmith.simulateOcservHostUpdate', active: { path: script, languageId: 'shellscript' } }, ctx),
      { request: { kind: 'ocserv', events: ['connect', 'host-update'], script } },
    );
    const answer = await resolveTarget({ command: 'hooksmith.simulateOcserv' }, ctx);
    assert.ok('pick' in answer);
    assert.deepEqual(
      answer.pick.choices.map((c) => c.fields),
      [{ config: path.join(root, 'lab/ocserv-lab.conf') }, { config }],
      'the notes file is not a config',
    );
  });

  test('provided tasks simulate each config; a tasks.json entry becomes a request, or a message saying what is missing', async () => {
    const tasks = (await providedTasks(ctx)).filter((t) => t.definition.simulate === 'ocserv');
    assert.deepEqual(
      tasks.map((t) => [t.definition.config, t.definition.events, t.label]),
      [
        ['lab/ocserv-lab.conf', ['connect', 'disconnect'], 'simulate ocserv connect then disconnect — lab/ocserv-lab.conf'],
        ['vpn/ocserv.conf', ['connect', 'disconnect'], 'simulate ocserv connect then disconnect — vpn/ocserv.conf'],
      ],
    );
    const ok = requestFromTask(
      { type: 'hooksmith', simulate: 'ocserv', events: ['connect'], script: 'vpn/login-hook', ipv6Only: true },
      root,
    );
    assert.ok(ok.ok);
    assert.deepEqual(
      { kind: ok.request.kind, events: ok.request.events, script: ok.request.script, ipv6Only: ok.request.ipv6Only },
      { kind: 'ocserv', events: ['connect'], script: path.join(root, 'vpn/login-hook'), ipv6Only: true },
    );
    const neither = requestFromTask({ type: 'hooksmith', simulate: 'ocserv' }, root);
    assert.match(neither.ok ? '' : neither.error, /give "config" \(an ocserv\.conf\) or "script"/);
    const bad = requestFromTask({ type: 'hooksmith', simulate: 'ocserv', events: ['up'], config: 'vpn/ocserv.conf' }, root);
    assert.match(bad.ok ? '' : bad.error, /"events" must be a non-empty list of connect, disconnect, host-update/);
  });
});
