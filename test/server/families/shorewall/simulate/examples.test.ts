import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { packageRoot } from '../../../../../server/src/ruleDocs';
import { simulationSandbox } from '../../../simulate/support';
import { argvs, runOf, runsOf, simulate } from './support';

const box = simulationSandbox();
const examples = path.join(packageRoot(), 'examples', 'shorewall');

suite('simulateShorewall: examples/shorewall, a realistic confdir', () => {
  test('start (ppp0, an interface isusable does not probe) runs clean and shows what would change', async () => {
    const report = await simulate(box, examples, 'start', { interface: 'ppp0' });
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['shorewall start: isusable ppp0', 'shorewall start: init', 'shorewall start: start', 'shorewall start: started'],
    );
    for (const run of runsOf(report)) {
      assert.equal(run.exitCode, 0, `${run.label}: ${run.stderr}`);
      assert.equal(run.stderr, '');
      assert.deepEqual(run.warnings, []);
      // isusable pings a real host: no shim stands in for ping (in the sandbox it reaches nothing).
      assert.deepEqual(
        run.notIntercepted.map((c) => [c.command, c.line]),
        run.label.includes('isusable')
          ? [
              ['ping', 10],
              ['ping', 14],
            ]
          : [],
      );
    }
    const tag = ['logger', '-t', 'shorewall-start', '--'];
    assert.deepEqual(argvs(report, 'isusable'), []);
    assert.deepEqual(argvs(report, 'init'), [[...tag, `initialising from ${examples} (state in /var/lib/shorewall)`]]);
    assert.deepEqual(argvs(report, 'start'), [
      ['run_iptables', '-t', 'mangle', '-A', 'PREROUTING', '-i', 'tun0', '-j', 'MARK', '--set-mark', '0x10'],
      [...tag, 'marked traffic from tun0'],
    ]);
    // In the sandbox run_iptables ran iptables there, and the rule is in the state's diff.
    if (report.isolation.mode === 'sandbox') {
      assert.deepEqual(runOf(report, 'start').commands[0].sandbox, { ran: true, exitCode: 0 });
      assert.ok(runOf(report, 'start').state?.diff.some((c) => c.item === '-A PREROUTING -i tun0 -j MARK --set-xmark 0x10/0xffffffff'));
    }
    assert.deepEqual(argvs(report, 'started'), [[...tag, 'firewall started (start)']]);
    assert.deepEqual(report.skipped, [
      { label: 'shorewall start: compile', reason: 'compile-time Perl, run by the rules compiler: not simulated' },
    ]);
    assert.equal(report.ok, true);
  });

  test('restart: init logs only on start, so it changes nothing', async () => {
    const report = await simulate(box, examples, 'restart', { interface: 'ppp0' });
    assert.deepEqual(argvs(report, 'init'), []);
    assert.deepEqual(argvs(report, 'started'), [['logger', '-t', 'shorewall-restart', '--', 'firewall started (restart)']]);
    assert.equal(report.ok, true);
  });

  test('clear: the stop hook runs (its local works in the function body); there is no stopped or clear hook', async () => {
    const report = await simulate(box, examples, 'clear');
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['shorewall clear: stop'],
    );
    assert.deepEqual(argvs(report, 'stop'), [['logger', '-t', 'shorewall-clear', '--', 'stopping the firewall (clear)']]);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.ok, true);
  });
});
