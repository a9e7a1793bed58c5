// The family-neutral side of tasks and commands: every field a family declares can be set from a
// tasks.json entry or a keybinding's args, is checked there with the request's one check, and a
// field that declares a question is asked by the command's quick pick when the request runs its event.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import type { TargetContext } from '../../../server/src/families/family';
import type { FromTask, TargetAnswer } from '../../../server/src/protocol';
import { requestFromTask, resolveTarget } from '../../../server/src/simulate/targets';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-targets-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const ctx: TargetContext = {
  roots: [root],
  relative: (f) => path.relative(root, f),
  resolve: (p) => (typeof p === 'string' && p ? path.resolve(root, p) : undefined),
  isProfile: async () => false,
  recognize: async () => undefined,
  findFiles: async () => [],
};

const task = (def: Record<string, unknown>): FromTask => requestFromTask({ type: 'hooksmith', ...def }, root);
const error = (r: FromTask): string => (r.ok ? `no error: ${JSON.stringify(r.request)}` : r.error);
const request = (a: TargetAnswer): Record<string, unknown> => {
  assert.ok('request' in a, JSON.stringify(a));
  return a.request;
};

suite('tasks and commands take every declared request field', () => {
  test("a task sets OpenVPN's learn-address operations and certificate chain, nm's stack, and gapMs for any sequence", () => {
    const ovpn = task({
      simulate: 'openvpn',
      events: ['tls-verify', 'learn-address'],
      config: 'server.conf',
      learnAddressOps: ['add', 'delete'],
      tlsChain: ['CN=Lab CA', 'CN=alice'],
    });
    assert.ok(ovpn.ok, error(ovpn));
    assert.deepEqual(ovpn.request.learnAddressOps, ['add', 'delete']);
    assert.deepEqual(ovpn.request.tlsChain, ['CN=Lab CA', 'CN=alice']);
    assert.equal(ovpn.request.config, path.join(root, 'server.conf'));
    const nm = task({ simulate: 'nm-dispatcher', dir: 'dispatcher.d', stack: 'ipv4', gapMs: 0 });
    assert.ok(nm.ok, error(nm));
    assert.equal(nm.request.stack, 'ipv4');
    assert.equal(nm.request.gapMs, 0);
    const wg = task({ simulate: 'wg-quick', config: 'wg0.conf', gapMs: 250 });
    assert.ok(wg.ok && wg.request.gapMs === 250, error(wg));
  });

  test("a wrong value of such a field is refused with the request check's words, before anything runs", () => {
    const ovpn = { simulate: 'openvpn', config: 'server.conf' };
    assert.equal(
      error(task({ ...ovpn, learnAddressOps: ['remove'] })),
      "Hooksmith task: Unknown operation 'remove': use add, update or delete.",
    );
    assert.equal(error(task({ ...ovpn, tlsChain: 'CN=alice' })), 'Hooksmith task: "tlsChain" must be a list of certificate subject names.');
    assert.equal(error(task({ simulate: 'nm-dispatcher', dir: 'd', stack: 'ipv6' })), 'Hooksmith task: "stack" must be one of dual, ipv4.');
    assert.equal(error(task({ simulate: 'nm-dispatcher', dir: 'd', interface: 7 })), 'Hooksmith task: "interface" must be a string.');
    assert.match(error(task({ simulate: 'wg-quick', config: 'wg0.conf', gapMs: -1 })), /"gapMs" must be a number of milliseconds/);
  });

  test("a command asks learn-address's operations when it runs learn-address, and takes them from a keybinding's args", async () => {
    const client = 'hooksmith.simulateOpenvpnClient';
    const asked = await resolveTarget({ command: client, fields: { config: 'server.conf' } }, ctx);
    assert.ok('pick' in asked, JSON.stringify(asked));
    assert.match(asked.pick.title, /learn-address runs with which operations/);
    assert.deepEqual(
      asked.pick.choices.map((c) => c.fields),
      [{ learnAddressOps: ['add'] }, { learnAddressOps: ['add', 'delete'] }, { learnAddressOps: ['add', 'update', 'delete'] }],
    );
    // The answer (or a keybinding's args) comes back in the fields: the request runs with it.
    const picked = request(
      await resolveTarget({ command: client, fields: { config: 'server.conf', ...asked.pick.choices[1].fields } }, ctx),
    );
    assert.deepEqual(picked.learnAddressOps, ['add', 'delete']);
    assert.deepEqual(picked.events, ['client-connect', 'learn-address', 'client-disconnect']);
    const chain = { config: 'server.conf', learnAddressOps: ['delete'], tlsChain: ['CN=Lab CA', 'CN=bob'] };
    assert.deepEqual(request(await resolveTarget({ command: client, fields: chain }, ctx)).tlsChain, ['CN=Lab CA', 'CN=bob']);
    // up then down runs no learn-address: nothing to ask.
    const updown = request(await resolveTarget({ command: 'hooksmith.simulateOpenvpn', fields: { config: 'client.conf' } }, ctx));
    assert.equal(updown.learnAddressOps, undefined);
  });

  test("a keybinding's args set nm's stack and interface; a wrong one is a message, not a run", async () => {
    const fields = { dir: 'NetworkManager/dispatcher.d', stack: 'ipv4', interface: 'wg1' };
    const nm = request(await resolveTarget({ command: 'hooksmith.simulateNmVpnUpDown', fields }, ctx));
    assert.equal(nm.stack, 'ipv4');
    assert.equal(nm.interface, 'wg1');
    assert.equal(nm.dir, path.join(root, 'NetworkManager/dispatcher.d'));
    const wrong = await resolveTarget({ command: 'hooksmith.simulateNmVpnUpDown', fields: { ...fields, stack: 'v6' } }, ctx);
    assert.deepEqual(wrong, { message: 'Hooksmith: "stack" must be one of dual, ipv4.' });
  });
});
