import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe as suite, test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  allowUninterceptedButton,
  baseName,
  commandLine,
  describeRequest,
  outcome,
  requestPlace,
  runHeader,
  uninterceptedOffer,
} from '../../../client/src/simulate/format';
import { simulate } from '../../../server/src/simulate/simulate';
import { shorewallRun } from './reports';

suite('format: the offer to run a refused dry run anyway', () => {
  test(
    'shims mode refused a hook for a call by path: the warning offers "Run anyway"; with it allowed, or in the ' + 'sandbox, no offer',
    async () => {
      const confdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-offer-'));
      try {
        fs.writeFileSync(path.join(confdir, 'shorewall.conf'), 'STARTUP_ENABLED=Yes\n');
        fs.writeFileSync(path.join(confdir, 'start'), '/bin/true\nreturn 0\n');
        const request = { kind: 'shorewall', command: 'start', confdir } as const;
        const refused = await simulate({ ...request, isolation: 'shims' });
        assert.equal(refused.runs[0].notRun?.reason, 'unintercepted');
        assert.equal(
          uninterceptedOffer(refused),
          'Hooksmith: 1 hook was not run: 1 call would bypass the shims and run for real on this machine (no sandbox ' +
            'here). Run anyway only if that is what you want.',
        );
        assert.equal(allowUninterceptedButton, 'Run anyway (allow unintercepted)');
        const allowed = await simulate({ ...request, isolation: 'shims', allowUnintercepted: true });
        assert.equal(allowed.runs[0].exitCode, 0);
        assert.equal(uninterceptedOffer(allowed), undefined);
        const sandboxed = await simulate({ ...request, isolation: 'sandbox' });
        assert.equal(sandboxed.runs[0].exitCode, 0);
        assert.equal(uninterceptedOffer(sandboxed), undefined);
      } finally {
        fs.rmSync(confdir, { recursive: true, force: true });
      }
    },
  );
});

suite('format: the words of a simulation report', () => {
  test('a recorded argv reads as a command line that sh parses back into the same argv', () => {
    const argvs = [
      ['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0'],
      ['logger', 'VPN: added static routes'],
      ['mount', '-t', 'cifs', '//files/share', "/mnt/it's here", '-o', 'user=$USER,pass=`x`'],
      ['iptables', '-A', 'INPUT', '-m', 'comment', '--comment', 'a "quoted"; rm -rf / # not run', ''],
    ];
    for (const argv of argvs) {
      const line = commandLine(argv);
      // printf prints each argument on its own line, NUL-terminated: what sh made of the line.
      const r = spawnSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
      assert.deepEqual(r.stdout.split('\0').slice(0, -1), argv, line);
    }
    assert.equal(commandLine(['ip', 'route', 'add', '10.0.0.0/8']), 'ip route add 10.0.0.0/8', 'plain words stay bare');
    assert.equal(commandLine(['logger', '']), "logger ''");
  });

  test("a run's header names the event, the script file and the rule that chose it", () => {
    const run = {
      ...shorewallRun('x'),
      label: 'connect',
      script: '/home/u/vpn/scripts/OnConnect_routes.sh',
      event: 'connect' as const,
      chosenBy: { rule: 'profile-element' as const, detail: '<OnConnectScript> in corporate.xml names OnConnect_routes.sh' },
      firedAtMs: 0,
      startedAtMs: 0,
      atNextEvent: 'last-event' as const,
    };
    const why = '<OnConnectScript> in corporate.xml names OnConnect_routes.sh';
    assert.equal(runHeader(run), `connect — OnConnect_routes.sh (chosen by: ${why})`);
    assert.equal(runHeader(shorewallRun('started')), 'shorewall start: started — started');
    assert.equal(baseName('C:\\ProgramData\\Cisco\\Script\\OnConnect_x.vbs'), 'OnConnect_x.vbs');
  });

  test('the outcome says how a run ended: exit code, signal, timeout, or why it never started', () => {
    assert.equal(outcome(shorewallRun('a', { exitCode: 0 })), 'exit 0');
    assert.equal(outcome(shorewallRun('a', { exitCode: 4 })), 'exit 4');
    assert.equal(outcome(shorewallRun('a', { exitCode: null, signal: 'SIGKILL', timedOut: true })), 'timed out: killed by SIGKILL');
    assert.equal(
      outcome(shorewallRun('a', { exitCode: null, signal: 'SIGTERM', terminatedByNextEvent: true })),
      'terminated by the next event: killed by SIGTERM',
    );
    assert.equal(outcome(shorewallRun('a', { exitCode: null, signal: 'SIGTERM', cancelled: true })), 'cancelled: killed by SIGTERM');
    assert.equal(
      outcome(shorewallRun('a', { exitCode: null, notRun: { reason: 'missing', message: '/x/a does not exist.' } })),
      'not run: /x/a does not exist.',
    );
  });

  test('a request is described by its events and target', () => {
    assert.equal(
      describeRequest({ kind: 'anyconnect', events: ['connect', 'disconnect'], profile: '/w/profiles/corporate.xml' }),
      'connect then disconnect — corporate.xml',
    );
    assert.equal(
      describeRequest({ kind: 'shorewall', command: 'start', confdir: '/w/etc/shorewall' }, (p) => p.replace('/w/', '')),
      'shorewall start — etc/shorewall',
    );
  });

  test(
    'the place a request is about is its first path field as its family declares them: the hook before the profile ' + 'before the folder',
    () => {
      assert.equal(
        requestPlace({
          kind: 'anyconnect',
          events: ['connect'],
          scripts: '/w/scripts',
          profile: '/w/p.xml',
          script: '/w/scripts/OnConnect.sh',
        }),
        '/w/scripts/OnConnect.sh',
      );
      assert.equal(requestPlace({ kind: 'anyconnect', events: ['connect'], scripts: '/w/scripts', profile: '/w/p.xml' }), '/w/p.xml');
      assert.equal(requestPlace({ kind: 'anyconnect', events: ['connect'], scripts: '/w/scripts', profile: '' }), '/w/scripts');
      assert.equal(requestPlace({ kind: 'shorewall', command: 'start', confdir: '/w/etc/shorewall' }), '/w/etc/shorewall');
      // A field another family calls a path is not one of this family's.
      assert.equal(requestPlace({ kind: 'shorewall', command: 'start', confdir: '/w/fw', script: '/w/x' }), '/w/fw');
      assert.equal(requestPlace({ kind: 'nobody', confdir: '/w/fw' }), undefined);
    },
  );
});
