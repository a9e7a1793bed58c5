import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import fc from 'fast-check';
import { parseArgs, UsageError } from '../../../server/src/cli/args';
import { checkSimulationRequest as checkRequest } from '../../../server/src/simulate/simulate';
import { SimulationError } from '../../../server/src/simulate/simulationHooks';

/** A value built from the request's own field names and plausible and hostile values. */
const field = fc.constantFrom(
  'kind',
  'events',
  'profile',
  'scripts',
  'script',
  'confdir',
  'command',
  'interface',
  'env',
  'timeoutMs',
  'graceMs',
  'gapMs',
  'live',
  'terminateOnNextEvent',
  'id',
  '__proto__',
  'constructor',
);
const value = fc.oneof(
  fc.constantFrom('anyconnect', 'shorewall', 'connect', 'start', '/tmp', '', -1, 0, 1e12, NaN, null, true),
  fc.jsonValue(),
  fc.array(fc.constantFrom('connect', 'disconnect', 'boot', 3)),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
);
const request = fc.oneof(fc.jsonValue(), fc.dictionary(field, value));

suite('checkRequest', () => {
  test('a NUL in a path or an environment value is refused for both kinds, naming the field', () => {
    const refused = (r: unknown, why: RegExp): void =>
      assert.throws(
        () => checkRequest(r),
        (e) => e instanceof SimulationError && why.test(e.message),
      );
    refused({ kind: 'anyconnect', events: ['connect'], env: { CISCO_VPN_USERNAME: 'a\0b' } }, /"env" values cannot hold a NUL byte/);
    refused({ kind: 'anyconnect', events: ['connect'], profile: '/tmp/p\0.xml' }, /"profile" cannot hold a NUL byte/);
    refused({ kind: 'shorewall', command: 'start', confdir: '/etc/shorewall', interface: 'eth\0' }, /"interface" cannot hold a NUL byte/);
  });

  test('serverPaths maps absolute server folders to local folders; anything else is refused', () => {
    const req = { kind: 'ocserv', events: ['connect'], config: '/w/ocserv.conf' };
    assert.deepEqual(checkRequest({ ...req, serverPaths: { '/etc/ocserv': '/w/deploy' } }).serverPaths, { '/etc/ocserv': '/w/deploy' });
    for (const [serverPaths, why] of [
      [{ 'etc/ocserv': '/w' }, /keys must be absolute folders/],
      [{ '/etc/ocserv': 3 }, /must map server folders to local folders/],
      [{ '/etc/ocserv': 'a\0b' }, /must map server folders to local folders/],
      [['/etc/ocserv'], /must map server folders to local folders/],
    ] as const)
      assert.throws(
        () => checkRequest({ ...req, serverPaths }),
        (e) => e instanceof SimulationError && why.test(e.message),
      );
  });

  test('roots (the workspace folders the language server sends) are absolute folders; anything else is refused', () => {
    const req = { kind: 'ocserv', events: ['connect'], config: '/w/ocserv.conf' };
    assert.deepEqual(checkRequest({ ...req, roots: ['/w', '/x'] }).roots, ['/w', '/x']);
    for (const roots of ['/w', ['w'], ['/w\0'], [3]])
      assert.throws(
        () => checkRequest({ ...req, roots }),
        (e) => e instanceof SimulationError && /"roots" must be a list of absolute folders/.test(e.message),
      );
  });
});

suite('checkRequest under random input', () => {
  test('a request is accepted with its fields typed, or refused with a SimulationError; nothing else escapes', () => {
    fc.assert(
      fc.property(request, (r) => {
        try {
          const ok = checkRequest(r) as unknown as Record<string, unknown>;
          assert.ok(ok.kind === 'anyconnect' || ok.kind === 'shorewall');
          for (const k of ['timeoutMs', 'graceMs', 'gapMs'])
            assert.ok(ok[k] === undefined || (typeof ok[k] === 'number' && Number.isFinite(ok[k])));
          const strings = [
            ...['profile', 'scripts', 'script', 'confdir', 'interface'].map((k) => ok[k]),
            ...Object.values((ok.env ?? {}) as object),
          ];
          assert.ok(!strings.some((v) => typeof v === 'string' && v.includes('\0')), 'no NUL reaches a spawn');
        } catch (e) {
          assert.ok(e instanceof SimulationError, String(e));
          assert.ok((e as Error).message.length > 0);
        }
      }),
      { numRuns: 2_000, seed: 4242 },
    );
  });
});

const token = fc.oneof(
  fc.constantFrom(
    'connect',
    'disconnect',
    'sequence',
    'shorewall',
    'start',
    'connect,disconnect',
    '--profile',
    '--scripts',
    '--script',
    '--timeout',
    '--grace-ms',
    '--gap-ms',
    '--env',
    '--live',
    '--json',
    '--confdir',
    '--interface',
    '--terminate-on-next-event',
    '--timeout=1',
    '--env=A=b',
    '-h',
    '=',
    '',
  ),
  fc.string(),
);

suite('hooksmith simulate argument parser under random input', () => {
  test('parses or gives a UsageError with a message; the same argv parses the same way', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (rest) => {
        const argv = ['simulate', ...rest];
        const outcome = (): unknown => {
          try {
            return parseArgs(argv);
          } catch (e) {
            assert.ok(e instanceof UsageError, String(e));
            return { usage: (e as Error).message };
          }
        };
        assert.deepEqual(outcome(), outcome());
      }),
      { numRuns: 2_000, seed: 4242 },
    );
  });
});
