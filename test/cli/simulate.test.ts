import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import type { AnyConnectRun } from '../../server/src/families/anyconnect/request';
import type { SimulationReport } from '../../server/src/protocol';
import { cliPath, cliWorkspace, jsonOf, repoRoot } from '../helpers/cli';
import { survivorsOf } from '../helpers/processGroups';

const seedProfile = path.join(repoRoot, 'examples/seed/seed-profile.xml');
const { dir: work, write, run } = cliWorkspace('hooksmith-cli-sim-', { command: ['simulate'], timeoutMs: 30_000 });
const hook = (name: string, lines: string[]): string => write(path.join('scripts', name), lines);

suite('hooksmith simulate, end to end', () => {
  test('--json: {"runs":[...]} with the rule, exit code and recorded argv; exit 0', () => {
    const r = run('connect', '--profile', seedProfile, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = jsonOf<SimulationReport>(r);
    const [connect] = report.runs as AnyConnectRun[];
    assert.equal(connect.event, 'connect');
    assert.equal(path.basename(connect.script), 'OnConnect_script.sh');
    assert.equal(connect.chosenBy.rule, 'profile-element');
    assert.equal(connect.exitCode, 0);
    assert.equal(connect.signal, null);
    assert.equal(connect.timedOut, false);
    assert.equal(connect.terminatedByNextEvent, false);
    assert.equal(typeof connect.pid, 'number');
    assert.equal(typeof connect.durationMs, 'number');
    assert.deepEqual(connect.commands[1].argv, ['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0']);
    assert.match(connect.commands[0].argv[1], /connected to vpn\.lab\.example\.net as 10\.0\.0\.42 \(event connect\)/);
  });

  test('text: live output, then what would have run, quoted as a person types it', () => {
    hook('OnConnect_text.sh', ['#!/bin/sh', 'echo "hello from the hook"', 'logger "VPN up: it\'s $CISCO_VPN_USERNAME"']);
    const r = run('connect', '--scripts', 'scripts', '--env', 'CISCO_VPN_USERNAME=a b');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /▶ connect: .*OnConnect_text\.sh\n {2}│ hello from the hook\n/);
    assert.match(r.stdout, /Cisco's rule: the first file in .*scripts whose name starts with OnConnect is OnConnect_text\.sh/);
    // Auto isolation: in a sandbox each line also says what was done with the call (logger is only recorded there).
    assert.match(r.stdout, /(would run|recorded by the shims):\n {4}logger 'VPN up: it'\\''s a b'( {2}\(recorded, not run: [^)]*\))?\n/);
    assert.match(r.stdout, /OK: 1 hook\(s\) exited 0\./);
  });

  test('a sequence with a timeout: the report shows the signals; exit 1 when a hook did not exit 0', () => {
    const connect = hook('OnConnect_stuck.sh', ['#!/bin/sh', "trap '' TERM", 'sleep 30 & wait']);
    const r = run(
      'sequence',
      'connect,disconnect',
      '--script',
      connect,
      '--timeout',
      '0.3',
      '--grace-ms',
      '100',
      '--gap-ms',
      '0',
      '--terminate-on-next-event',
      'false',
      '--json',
    );
    assert.equal(r.status, 1, r.stderr);
    const report = jsonOf<SimulationReport>(r);
    assert.deepEqual(
      report.runs.map((x) => [x.label, x.timedOut, x.signalsSent.map((s) => s.signal).join('+')]),
      [
        ['connect', true, 'SIGTERM+SIGKILL'],
        ['disconnect', true, 'SIGTERM+SIGKILL'],
      ],
    );
  });

  test('shorewall: the run-time hooks of a command in order, run_iptables recorded', () => {
    const r = run('shorewall', 'start', '--confdir', path.join(repoRoot, 'examples/shorewall'), '--interface', 'ppp0', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = jsonOf<SimulationReport>(r);
    assert.deepEqual(
      report.runs.map((x) => x.label),
      ['shorewall start: isusable ppp0', 'shorewall start: init', 'shorewall start: start', 'shorewall start: started'],
    );
    assert.deepEqual(report.runs[2].commands[0].argv.slice(0, 3), ['run_iptables', '-t', 'mangle']);
    assert.match(report.skipped.map((s) => `${s.label}: ${s.reason}`).join('\n'), /compile.*compile-time Perl/);
  });

  test('shorewall with a confdir that does not exist exits 2', () => {
    const r = run('shorewall', 'stop', '--confdir', 'no/such/dir');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /does not exist/);
  });

  test('usage errors exit 2 with the reason and the simulate usage', () => {
    for (const [args, reason] of [
      [['boot', '--profile', seedProfile], /Unknown event 'boot'/],
      [['connect'], /Give --profile, --scripts or --script/],
      [['connect', '--profile', seedProfile, '--timeout', 'soon'], /--timeout must be a number of seconds/],
      [['connect', '--profile', seedProfile, '--env', 'A-B=1'], /--env takes NAME=VALUE/],
      [['connect', '--profile'], /--profile needs a value/],
      [['shorewall', 'explode', '--confdir', '.'], /needs a command: start, restart/],
      [['sequence', '--profile', seedProfile], /needs a list of events/],
    ] as const) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
      assert.match(r.stderr, /Usage: hooksmith simulate/);
    }
  });

  test('--timeout 0 is refused by a message that says so (a timeout is more than 0 seconds, as the setting and the task say)', () => {
    const r = run('connect', '--profile', seedProfile, '--timeout', '0');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--timeout must be a number of seconds more than 0 and at most 3600 \(0\.5 is allowed, 0 is not\), not '0'/);
    assert.doesNotMatch(r.stderr, /from 0/);
    assert.equal(r.stdout, '');
  });

  test('a profile that does not exist exits 2 with a clear message', () => {
    const r = run('connect', '--profile', 'nowhere.xml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Cannot read the profile nowhere\.xml: it does not exist/);
  });

  test('simulate --help prints the simulate usage', () => {
    const r = run('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /hooksmith simulate sequence EVENT,EVENT/);
  });

  test('Ctrl-C stops the hook group, prints the report and exits 1', async () => {
    const stuck = hook('OnConnect_forever.sh', ['#!/bin/sh', "trap '' TERM INT", 'echo started', 'sleep 30 & wait']);
    // Shims mode: the report's pid is the hook's own here (in a sandbox it is the launcher's).
    const child = spawn(
      process.execPath,
      [cliPath, 'simulate', 'connect', '--script', stuck, '--grace-ms', '100', '--json', '--isolation', 'shims'],
      { cwd: work },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // --json prints nothing live: wait until the hook's group exists, then interrupt.
    const hookPid = await waitFor(() => findHook(stuck));
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.kill('SIGINT');
    assert.equal(await exited, 1, stderr);
    const report = JSON.parse(stdout) as SimulationReport;
    assert.equal(report.cancelled, true);
    assert.equal(report.runs[0].pid, hookPid);
    assert.deepEqual(await survivorsOf(hookPid), []);
  });
});

/** The pid of the shell running `script` (the kernel runs a #! script as: /bin/sh <script>). */
function findHook(script: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const [interpreter, file] = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (interpreter === '/bin/sh' && file === script) return Number(pid);
    } catch {
      // gone
    }
  }
  return undefined;
}

async function waitFor<T>(probe: () => T | undefined, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('not found before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}
