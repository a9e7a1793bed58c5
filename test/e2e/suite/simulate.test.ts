import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { copyFixture, note, open, setSetting, until, within, workspaceFile } from './helpers';

const lensCommand = 'hooksmith.simulate.fromLens';

// Runs after extension.test.js in the trusted workspace: the hooks of test/e2e/fixtures/home-office
// really run (dry run: the shims record ip and logger instead of running them).
suite('Simulation in VS Code (trusted workspace)', () => {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-sim-')), 'marker');
  let profile: vscode.Uri;

  suiteSetup(async () => {
    const folder = copyFixture('home-office');
    profile = vscode.Uri.joinPath(folder, 'home-office.xml');
    for (const hook of ['scripts/OnConnect_office.sh', 'scripts/OnDisconnect_office.sh', 'slow/OnConnect_wait.sh']) {
      fs.accessSync(path.join(folder.fsPath, hook), fs.constants.X_OK); // executable in git and in the copy
    }
    // The hooks append $CISCO_VPN_EVENT to this file: the settings' env reached them, and they ran.
    await setSetting('hooksmith.simulate', 'env', { E2E_MARKER: marker });
    await setSetting('hooksmith.simulate', 'gapMs', 100);
    // The shims alone, so the hooks' marker file lands on this machine (a sandbox's /tmp is private); the last test runs in the sandbox.
    await setSetting('hooksmith.simulate', 'isolation', 'shims');
  });

  suiteTeardown(() => {
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  });

  setup(() => fs.rmSync(marker, { force: true }));

  test(
    'Simulate Connect on the open profile runs its OnConnect hook and reports its exit code and the commands it ' + 'would have run',
    async () => {
      await open(profile);
      const started = performance.now();
      const report = await within(
        vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateConnect'),
        'the simulate command',
      );
      note(`[figure] Simulate Connect, command to report: ${(performance.now() - started).toFixed(0)} ms`);
      assert.ok(report, 'the command returned no report');
      assert.equal(report.dryRun, true);
      assert.equal(report.ok, true, JSON.stringify(report, null, 1));
      assert.equal(report.runs.length, 1);
      const [run] = report.runs;
      assert.equal(run.label, 'connect');
      assert.equal(path.basename(run.script), 'OnConnect_office.sh');
      assert.ok('chosenBy' in run && /OnConnectScript/.test(run.chosenBy.detail), "chosen by the profile's <OnConnectScript>");
      assert.equal(run.exitCode, 0);
      assert.deepEqual(
        run.commands.map((c) => c.argv),
        [
          ['ip', 'route', 'add', '10.20.0.0/16', 'via', '10.0.0.1', 'dev', 'tun0'],
          ['logger', '-t', 'vpn', 'office route added'],
        ],
      );
      assert.equal(run.stdout, 'connect: adding the office route\n');
      assert.equal(run.env.E2E_MARKER, marker, 'hooksmith.simulate.env went into the request');
      assert.equal(fs.readFileSync(marker, 'utf8'), 'connect\n', 'the hook ran once, with CISCO_VPN_EVENT=connect');

      // The result view opens beside the profile (the workbench adds its tab a moment later).
      const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const view = await until(
        () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hooksmith.simulationResult')),
        "the result view's tab",
        10_000,
      ).catch((e: Error) =>
        assert.fail(
          `${e.message}; tabs: ${tabs()
            .map((t) => t.label)
            .join(', ')}`,
        ),
      );
      assert.match(view.label, /^Simulation: connect — .*home-office\.xml$/);
    },
  );

  test("the CodeLenses over the profile's script elements simulate their event; a failing hook's exit code is reported", async () => {
    const editor = await open(profile);
    const lineOf = (element: string): number =>
      editor.document
        .getText()
        .split('\n')
        .findIndex((l) => l.includes(`<${element}>`));
    const lenses = await until(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', profile, 10);
      const ours = all.filter((l) => l.command?.command === lensCommand);
      return ours.length >= 2 ? ours : undefined;
    }, 'two simulate CodeLenses on home-office.xml');
    const seen = JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]));
    const at = (line: number, title: RegExp) =>
      lenses.find((l) => l.range.start.line === line && title.test(l.command?.title ?? ''))?.command;
    assert.ok(at(lineOf('OnConnectScript'), /Simulate connect$/i), `no "Simulate connect" lens on <OnConnectScript>; lenses: ${seen}`);
    const disconnect = at(lineOf('OnDisconnectScript'), /Simulate disconnect$/i);
    assert.ok(disconnect, `no "Simulate disconnect" lens on <OnDisconnectScript>; lenses: ${seen}`);

    const report = await within(
      vscode.commands.executeCommand<SimulationReport | undefined>(disconnect.command, ...(disconnect.arguments ?? [])),
      'the lens command',
    );
    assert.ok(report);
    assert.equal(report.ok, false, 'a hook that exits 4 makes the simulation not ok');
    assert.deepEqual(
      report.runs.map((r) => [r.label, path.basename(r.script), r.exitCode]),
      [['disconnect', 'OnDisconnect_office.sh', 4]],
    );
    assert.deepEqual(
      report.runs[0].commands.map((c) => c.argv),
      [['ip', 'route', 'del', '10.20.0.0/16']],
    );
    assert.equal(fs.readFileSync(marker, 'utf8'), 'disconnect\n');
  });

  test(
    "Simulate Shorewall Command runs a command's hooks in order; an exit in start is reported as ending the " + 'firewall script',
    async () => {
      // start calls modprobe, which no shim intercepts: the shims alone refuse to run it, so this one runs in the sandbox.
      await setSetting('hooksmith.simulate', 'isolation', 'sandbox');
      let report: SimulationReport | undefined;
      try {
        report = await within(
          vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateShorewall', {
            command: 'start',
            confdir: 'shorewall',
          }),
          'the Shorewall simulation',
        );
      } finally {
        await setSetting('hooksmith.simulate', 'isolation', 'shims');
      }
      assert.ok(report);
      assert.equal(report.kind, 'shorewall');
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.runs.map((r) => [r.label, r.exitCode]),
        [['shorewall start: start', 1]],
      );
      assert.match(report.runs[0].stderr, /xt_recent is missing/);
      assert.ok(
        report.runs[0].warnings.some((w) => /ends the whole generated firewall script/.test(w)),
        JSON.stringify(report.runs[0].warnings),
      );
      assert.deepEqual(
        report.skipped.map((s) => s.label),
        ['shorewall start: started'],
        'started does not run after the exit',
      );
    },
  );

  test('a hooksmith task runs connect then disconnect in a terminal and ends with exit code 1 when a hook fails', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'hooksmith' });
    const task = tasks.find(
      (t) => t.definition.simulate === 'sequence' && t.definition.profile === path.join('home-office', 'home-office.xml'),
    );
    assert.ok(task, `no provided connect-then-disconnect task for home-office.xml among ${tasks.map((t) => t.name).join(' | ')}`);
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name !== task.name) return;
        listener.dispose();
        resolve(e.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    assert.equal(await within(ended, "the task's end"), 1);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'connect\ndisconnect\n', 'both hooks ran, in order');
  });

  test('stopping a tasks.json simulation cancels the request: the server kills the running hook', async () => {
    const label = 'hooksmith: wait to be stopped';
    const tasksJson = workspaceFile('.vscode', 'tasks.json');
    fs.writeFileSync(
      tasksJson.fsPath,
      JSON.stringify(
        {
          version: '2.0.0',
          tasks: [{ type: 'hooksmith', simulate: 'connect', script: 'home-office/slow/OnConnect_wait.sh', label }],
        },
        null,
        2,
      ),
    );
    try {
      const task = await until(
        async () => (await vscode.tasks.fetchTasks({ type: 'hooksmith' })).find((t) => t.name === label),
        'the tasks.json task',
      );
      const execution = await vscode.tasks.executeTask(task);
      const pid = await until(
        () => (fs.existsSync(`${marker}.pid`) ? Number(fs.readFileSync(`${marker}.pid`, 'utf8')) || undefined : undefined),
        "the slow hook's pid",
      );
      assert.ok(livingMembers(pid).includes(pid), 'the hook (sh, leading its group) runs');
      const ended = new Promise<void>((resolve) => {
        const listener = vscode.tasks.onDidEndTask((e) => {
          if (e.execution.task.name !== label) return;
          listener.dispose();
          resolve();
        });
      });
      const stopped = performance.now();
      // The hook's whole process group (sh and its sleep) goes, well before its 120 s are up.
      const gone = until(
        () => (livingMembers(pid).length ? undefined : true),
        `hook group ${pid} gone after the task was stopped`,
        10_000,
      ).then(() => performance.now() - stopped);
      execution.terminate();
      const goneMs = await gone;
      await within(ended, "the task's end after terminate");
      note(
        `[figure] task stopped -> hook process group gone: ${goneMs.toFixed(0)} ms; -> task ended: ` +
          `${(performance.now() - stopped).toFixed(0)} ms`,
      );
    } finally {
      fs.rmSync(tasksJson.fsPath, { force: true });
      fs.rmSync(`${marker}.pid`, { force: true });
    }
  });

  test(
    'with hooksmith.simulate.isolation "sandbox" the hook runs in the sandbox: the report has its state, and its ' +
      'marker never reaches this machine',
    async () => {
      await setSetting('hooksmith.simulate', 'isolation', 'sandbox');
      try {
        await open(profile);
        const report = await within(
          vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateConnect'),
          'the simulate command',
        );
        assert.ok(report, 'the command returned no report');
        assert.equal(report.isolation.mode, 'sandbox', report.isolation.reason);
        const [run] = report.runs;
        assert.equal(run.exitCode, 0, run.stderr);
        assert.ok(run.state?.before.addresses?.includes('tun0 inet 10.0.0.42/24'), 'the sandbox has the tunnel');
        // The shim recorded ip and ran it inside the sandbox: the route is there, not on this machine.
        assert.deepEqual(
          run.state?.diff.filter((c) => c.kind !== 'files'),
          [{ change: 'added', item: '10.20.0.0/16 via 10.0.0.1 dev tun0', kind: 'routes' }],
          'the route the hook added through the ip shim, and nothing else',
        );
        assert.deepEqual(run.commands[0]?.sandbox, { ran: true, exitCode: 0 });
        assert.equal(execFileSync('ip', ['route', 'show', '10.20.0.0/16'], { encoding: 'utf8' }), '', 'not on this machine');
        assert.equal(fs.existsSync(marker), false, "the marker went to the sandbox's private /tmp");
      } finally {
        await setSetting('hooksmith.simulate', 'isolation', 'shims');
      }
    },
  );
});

/**
 * The living members of a process group, from /proc. A zombie does not count: in a container
 * nothing may reap the hook's orphaned child for a while after it died. (server/src/simulate/group.ts
 * has the same check, but the e2e build transpiles test/e2e alone, so the suite cannot import it.)
 */
function livingMembers(pgid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((pid) => {
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return []; // gone while we looked
      }
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(group) === pgid && state !== 'Z' && state !== 'X' ? [Number(pid)] : [];
    });
}
