import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { TargetContext } from '../../../../server/src/families/family';
import { wgQuick } from '../../../../server/src/families/wg-quick';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-targets-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const office = write('wireguard/office.conf', '[Interface]\nPostUp = echo up\n');
const home = write('wireguard/home.conf', '# home\n[Interface]\nAddress = 10.0.0.2/24\n');
write('openvpn/client.conf', 'client\ndev tun\nremote vpn.example.com 1194\n');

function ctx(): TargetContext {
  const all = [office, home, path.join(root, 'openvpn/client.conf')];
  return {
    roots: [root],
    relative: (f) => path.relative(root, f),
    resolve: (p) => (typeof p === 'string' ? path.resolve(root, p) : undefined),
    isProfile: async () => false,
    recognize: async () => undefined,
    findFiles: async (accept, max) => {
      const out: string[] = [];
      for (const f of all) if (await accept(path.basename(f), f)) out.push(f);
      return out.slice(0, max);
    },
  };
}

const simulation = wgQuick.simulation!;
const command = wgQuick.commands![0];

suite('wg-quick simulate targets and tasks', () => {
  test('the active wg-quick config is simulated up then down; with none open, the choice lists only wg-quick configs', async () => {
    const active = await simulation.target(
      command,
      { command: command.command, active: { path: office, languageId: 'properties' } },
      ctx(),
    );
    assert.deepEqual(active, { request: { kind: 'wg-quick', events: ['up', 'down'], config: office } });
    const answer = await simulation.target(command, { command: command.command }, ctx());
    assert.ok('pick' in answer, JSON.stringify(answer));
    assert.deepEqual(
      answer.pick.choices.map((c) => c.fields),
      [{ config: home }, { config: office }],
    );
  });

  test('a task per config, and a task definition back to a request; a bad one says what is wrong', async () => {
    const tasks = await simulation.tasks(ctx());
    assert.deepEqual(
      tasks.map((t) => t.definition),
      [
        { type: 'hooksmith', simulate: 'wg-quick', events: ['up', 'down'], config: 'wireguard/home.conf' },
        { type: 'hooksmith', simulate: 'wg-quick', events: ['up', 'down'], config: 'wireguard/office.conf' },
      ],
    );
    const resolve = (p: unknown) => (typeof p === 'string' ? path.resolve(root, p) : undefined);
    assert.deepEqual(simulation.fromTask({ simulate: 'wg-quick', events: ['down'], config: 'wireguard/home.conf' }, {}, resolve), {
      ok: true,
      request: { kind: 'wg-quick', events: ['down'], config: home },
    });
    const bad = simulation.fromTask({ simulate: 'wg-quick', events: ['sideways'], config: 'x.conf' }, {}, resolve);
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /"events" must be a non-empty list of up, down/);
  });
});
