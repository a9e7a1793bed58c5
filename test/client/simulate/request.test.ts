import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { withSettings } from '../../../client/src/simulate/request';
import { families } from '../../../server/src/families/registry';
import { requestFromTask } from '../../../server/src/simulate/targets';

const settings = { timeoutSeconds: 60, graceMs: 1000, gapMs: 1000, env: { CISCO_VPN_USERNAME: 'alice', CISCO_VPN_IP: '10.0.0.5' } };

suite('request: tasks.json entries and settings become simulate requests', () => {
  test("settings fill what the request leaves out; the request's own fields and env keys win", () => {
    assert.deepEqual(withSettings({ kind: 'anyconnect', events: ['connect'], profile: '/p.xml' }, settings), {
      kind: 'anyconnect',
      events: ['connect'],
      profile: '/p.xml',
      timeoutMs: 60_000,
      graceMs: 1000,
      gapMs: 1000,
      env: settings.env,
    });
    const own = withSettings(
      { kind: 'anyconnect', events: ['connect'], script: '/s', timeoutMs: 500, gapMs: 0, env: { CISCO_VPN_IP: '10.9.9.9' } },
      settings,
    );
    assert.equal(own.timeoutMs, 500);
    assert.equal(own.kind === 'anyconnect' && own.gapMs, 0);
    assert.deepEqual(own.env, { CISCO_VPN_USERNAME: 'alice', CISCO_VPN_IP: '10.9.9.9' });
    assert.ok(
      !('gapMs' in withSettings({ kind: 'shorewall', command: 'start', confdir: '/etc/shorewall' }, settings)),
      'no gap for Shorewall',
    );
  });

  test('a task definition resolves its paths against the workspace folder', () => {
    assert.deepEqual(requestFromTask({ type: 'hooksmith', simulate: 'connect', profile: 'profiles/corporate.xml' }, '/w'), {
      ok: true,
      request: { kind: 'anyconnect', events: ['connect'], profile: '/w/profiles/corporate.xml', env: undefined, live: false },
    });
    const seq = requestFromTask(
      {
        type: 'hooksmith',
        simulate: 'sequence',
        events: ['connect', 'disconnect'],
        scripts: '/abs/script',
        gapMs: 2500,
        timeoutSeconds: 5,
      },
      '/w',
    );
    assert.deepEqual(seq, {
      ok: true,
      request: {
        kind: 'anyconnect',
        events: ['connect', 'disconnect'],
        scripts: '/abs/script',
        gapMs: 2500,
        env: undefined,
        live: false,
        timeoutMs: 5000,
      },
    });
    const shorewall = requestFromTask(
      { type: 'hooksmith', simulate: 'shorewall', command: 'restart', confdir: 'etc/shorewall', env: { X: '1' }, live: true },
      '/w',
    );
    assert.deepEqual(shorewall, {
      ok: true,
      request: { kind: 'shorewall', command: 'restart', confdir: '/w/etc/shorewall', env: { X: '1' }, live: true },
    });
  });

  test('a wrong definition gets a message naming the property and what it accepts', () => {
    const error = (def: Record<string, unknown>): string => {
      const r = requestFromTask({ type: 'hooksmith', ...def }, '/w');
      assert.equal(r.ok, false, JSON.stringify(def));
      return r.ok ? '' : r.error;
    };
    // Every family's task kinds, in registry order (a new family adds its own).
    const kinds = families.flatMap((f) => f.simulation?.taskKinds ?? []);
    assert.ok(kinds.includes('sequence') && kinds.includes('shorewall'));
    assert.ok(
      error({ simulate: 'boot' }).endsWith(`"simulate" must be one of ${kinds.join(', ')} (got "boot").`),
      error({ simulate: 'boot' }),
    );
    assert.match(error({ simulate: 'connect' }), /give "profile", "scripts" \(a script folder\) or "script"/);
    assert.match(error({ simulate: 'sequence', events: ['connect', 'reboot'], profile: 'p.xml' }), /"events" must be a non-empty list/);
    assert.match(error({ simulate: 'shorewall', command: 'start' }), /"confdir" .* is required/);
    assert.match(
      error({ simulate: 'shorewall', command: 'halt', confdir: '.' }),
      /"command" must be one of start, restart, reload, refresh, stop, clear, restore/,
    );
    assert.match(error({ simulate: 'connect', profile: 'p.xml', env: { N: 1 } }), /"env" must be an object whose values are strings/);
    assert.match(error({ simulate: 'connect', profile: 'p.xml', timeoutSeconds: -1 }), /"timeoutSeconds" must be a positive number/);
  });
});
