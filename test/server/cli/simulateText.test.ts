import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSimulation } from '../../../server/src/cli/simulateText';
import { simulateOpenvpn } from '../../../server/src/families/openvpn/simulate/simulate';
import { OpenvpnRequest } from '../../../server/src/families/openvpn/request';
import { simulationSandbox } from '../simulate/support';

const box = simulationSandbox();

test("the closing line counts a refusal that is an answer (tls-verify's exit 1) as such, and a skip says `not run` once", async () => {
  const script = box.hook('refuse.sh', ['#!/bin/sh', 'exit 1']);
  const req = { kind: 'openvpn', isolation: 'shims', events: ['tls-verify', 'client-connect'], script, tlsChain: ['CN=client1'] };
  const report = await simulateOpenvpn(req as OpenvpnRequest, { onSpawn: box.track });
  assert.equal(report.ok, true, 'a refused certificate is an answer, not a failure');
  const text = formatSimulation(report);
  assert.doesNotMatch(text, /exited 0/);
  assert.match(text, /\nOK: 1 hook\(s\) ran; 1 exited non-zero, an answer its executor acts on \(see above\), not a failure\.\n$/);
  assert.match(text, /\nclient-connect: not run: tls-verify refused the certificate at depth 0/);
});
