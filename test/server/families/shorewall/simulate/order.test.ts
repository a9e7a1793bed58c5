import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { shorewallHooks } from '../../../../../server/src/families/shorewall/hooks';
import { shorewallCommands, ShorewallCommand } from '../../../../../server/src/families/shorewall/request';
import { runTimeOrder } from '../../../../../server/src/families/shorewall/simulate/order';
import { simulationSandbox } from '../../../simulate/support';
import { confdir, runsOf, simulate } from './support';

const box = simulationSandbox();

// Every hook Shorewall knows, each echoing its own name; compile-time ones are Perl.
const everyHook = confdir(
  box,
  Object.fromEntries(
    shorewallHooks.map((h) => [
      h.name,
      h.runModel === 'perl-compile-time'
        ? ['use Shorewall::Chains;', '1;']
        : h.runModel === 'library'
          ? ['hooksmith_lib_loaded=yes']
          : ['#!/bin/sh', `echo ${h.name}`],
    ]),
  ),
);

const expected: Record<ShorewallCommand, { runs: string[]; compileTime: string[] }> = {
  start: { runs: ['isusable eth0', 'init', 'tcclear', 'findgw eth0', 'start', 'started'], compileTime: ['compile', 'initdone', 'maclog'] },
  restart: {
    runs: ['isusable eth0', 'init', 'tcclear', 'findgw eth0', 'start', 'started'],
    compileTime: ['compile', 'initdone', 'maclog'],
  },
  reload: { runs: ['init', 'tcclear', 'start', 'started'], compileTime: ['compile'] },
  refresh: { runs: ['isusable eth0', 'refresh', 'findgw eth0', 'refreshed'], compileTime: ['compile', 'initdone', 'maclog'] },
  restore: { runs: ['isusable eth0', 'init', 'tcclear', 'findgw eth0', 'restored'], compileTime: ['compile'] },
  stop: { runs: ['stop', 'stopped'], compileTime: [] },
  clear: { runs: ['stop', 'stopped', 'clear'], compileTime: [] },
};

suite("simulateShorewall: the hooks of each command, in Shorewall's order", () => {
  for (const command of shorewallCommands) {
    test(`shorewall ${command}`, async () => {
      const started: string[] = [];
      const streamed: string[] = [];
      const report = await simulate(
        box,
        everyHook,
        command,
        {},
        {
          onRunStart: (i, label) => started.push(`${i} ${label}`),
          onOutput: (i, label, stream, text) => streamed.push(`${i} ${label} ${stream} ${text}`),
        },
      );
      const labels = expected[command].runs.map((r) => `shorewall ${command}: ${r}`);
      assert.deepEqual(
        report.runs.map((r) => r.label),
        labels,
      );
      assert.deepEqual(
        started,
        labels.map((l, i) => `${i} ${l}`),
        'onRunStart in order, with the run index',
      );
      for (const run of runsOf(report)) {
        assert.equal(run.stdout, `${run.hook}\n`, `${run.label} printed its own name`);
        assert.equal(run.exitCode, 0, run.stderr);
        assert.equal(run.env.COMMAND, command);
      }
      assert.deepEqual(
        streamed,
        labels.map((l, i) => `${i} ${l} stdout ${runsOf(report)[i].hook}\n`),
        'output streamed with its run',
      );
      assert.deepEqual(
        report.skipped,
        expected[command].compileTime.map((h) => ({
          label: `shorewall ${command}: ${h}`,
          reason: `compile-time Perl, run by the rules compiler: not simulated${h === 'maclog' ? ' (removed in Shorewall 5.1.0)' : ''}`,
        })),
      );
      assert.equal(report.kind, 'shorewall');
      assert.equal(report.dryRun, true);
      assert.equal(report.cancelled, false);
      // findgw printed its name, which Shorewall would take for a gateway: that is reported, not an error.
      assert.equal(report.ok, true, JSON.stringify(runsOf(report).map((r) => r.warnings)));
    });
  }

  test('refresh says that init does not run, in place of which the refresh hook runs', async () => {
    const report = await simulate(box, everyHook, 'refresh');
    assert.ok(
      report.notes.some((n) => /refresh does not run init: the refresh hook runs in its place/.test(n)),
      report.notes.join('\n'),
    );
  });

  test('only the hooks present run; the notes name those found', async () => {
    const dir = confdir(box, { started: ['echo started'], init: ['echo init'], 'shorewall.conf': ['STARTUP_ENABLED=Yes'] });
    const report = await simulate(box, dir, 'start');
    assert.deepEqual(
      report.runs.map((r) => r.label),
      ['shorewall start: init', 'shorewall start: started'],
    );
    assert.deepEqual(report.skipped, []);
    assert.ok(report.notes.includes(`Hooks in ${dir}: init, started.`), report.notes.join('\n'));
  });

  test('CLEAR_TC=No in shorewall.conf: tcclear is skipped with the reason', async () => {
    const dir = confdir(box, {
      tcclear: ['echo tcclear'],
      start: ['echo start'],
      'shorewall.conf': ['CLEAR_TC=Yes', 'CLEAR_TC="No"   # later wins'],
    });
    const report = await simulate(box, dir, 'restart');
    assert.deepEqual(
      runsOf(report).map((r) => r.hook),
      ['start'],
    );
    assert.deepEqual(report.skipped, [
      { label: 'shorewall restart: tcclear', reason: 'CLEAR_TC=No in shorewall.conf: Shorewall does not run tcclear.' },
    ]);
  });

  test("the order table agrees with the seed's command table (hooks.ts runBy)", () => {
    for (const command of shorewallCommands) {
      const byTable = shorewallHooks.filter((h) => h.runModel === 'function-body' && h.runBy.includes(command)).map((h) => h.name);
      // refresh: the documented "in place of init" wins over the table's init entry.
      const wanted = byTable.filter((h) => !(command === 'refresh' && h === 'init'));
      assert.deepEqual([...runTimeOrder[command]].sort(), wanted.sort(), command);
    }
  });
});
