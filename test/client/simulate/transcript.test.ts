import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { Transcript } from '../../../client/src/simulate/transcript';
import { simulationSandbox } from '../../server/simulate/support';
import { anyConnectReport } from './reports';

const box = simulationSandbox();

suite('Transcript: the live text of a simulation (output channel, task terminal)', () => {
  test(
    'output appears under its run as it arrives (announced by the server, or by its label); the end names each ' +
      'script, its outcome and the commands',
    async () => {
      const connect = box.hook('OnConnect_routes.sh', [
        '#!/bin/sh',
        'echo adding routes',
        'printf partial',
        'ip route add 10.1.0.0/16 dev tun0',
      ]);
      const disconnect = box.hook('OnDisconnect_routes.sh', ['#!/bin/sh', 'ip route del 10.1.0.0/16', 'exit 2']);
      const report = await anyConnectReport(
        [
          { event: 'connect', script: connect, gapMs: 0 },
          { event: 'disconnect', script: disconnect, gapMs: 50 },
        ],
        false,
        box.track,
      );
      let text = '';
      const transcript = new Transcript((t) => (text += t));
      transcript.begin('connect then disconnect — vpn.xml', false);
      transcript.runStarted(`connect: ${connect}`);
      transcript.output({ run: 0, label: 'connect', stream: 'stdout', text: 'adding routes\n' });
      transcript.output({ run: 0, label: 'connect', stream: 'stdout', text: 'partial' });
      transcript.output({ run: 1, label: 'disconnect', stream: 'stderr', text: 'oops\n' });
      transcript.end(report);
      assert.equal(
        text,
        [
          '── Hooksmith: connect then disconnect — vpn.xml (dry run) ──',
          `▶ connect: ${connect}`,
          'adding routes',
          'partial',
          '▶ disconnect',
          'oops',
          `■ connect — OnConnect_routes.sh (chosen by: the step names ${connect}): exit 0`,
          '    would run: ip route add 10.1.0.0/16 dev tun0',
          `■ disconnect — OnDisconnect_routes.sh (chosen by: the step names ${disconnect}): exit 2`,
          '    would run: ip route del 10.1.0.0/16',
          'Dry run not ok: 2 runs, 1 not ok (disconnect: exit 2); 2 commands would have run.',
          '',
        ].join('\n'),
      );
    },
  );
});
