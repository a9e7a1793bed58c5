import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { simulateAnyConnect } from '../../../../../server/src/families/anyconnect/simulate/simulate';
import { simulate } from '../../../../../server/src/simulate/simulate';
import { AnyConnectRun } from '../../../../../server/src/families/anyconnect/request';
import { SimulationError } from '../../../../../server/src/simulate/simulationHooks';
import { simulationSandbox } from '../../../simulate/support';

const box = simulationSandbox();
const examples = path.resolve(__dirname, '../../../../../../examples');

/** A profile in its own folder with a script/ folder beside it, as a project keeps them. */
function project(
  name: string,
  clientInit: string,
  hostEntry = '<HostEntry><HostName>Lab</HostName><HostAddress>vpn.lab.example.net</HostAddress></HostEntry>',
) {
  const dir = path.join(box.dir, name);
  fs.mkdirSync(path.join(dir, 'script'), { recursive: true });
  const profile = path.join(dir, 'profile.xml');
  fs.writeFileSync(
    profile,
    `<?xml version="1.0"?>\n<AnyConnectProfile ` +
      `xmlns="http://schemas.xmlsoap.org/encoding/">\n<ClientInitialization>${clientInit}</ClientInitialization>\n` +
      `<ServerList>${hostEntry}</ServerList>\n</AnyConnectProfile>\n`,
  );
  const hook = (file: string, lines: string[], mode = 0o755): string => {
    const p = path.join(dir, 'script', file);
    fs.writeFileSync(p, lines.join('\n') + '\n', { mode });
    return p;
  };
  return { dir, profile, hook };
}

const printEnv = ['#!/bin/sh', 'printf "%s|%s|%s|%s\\n" "$CISCO_VPN_USERNAME" "$CISCO_VPN_SERVER" "$CISCO_VPN_IP" "$CISCO_VPN_EVENT"'];

suite('simulateAnyConnect: which script runs', () => {
  test('seed dialect: the profile element names the script, and the report says so', async () => {
    const p = project('seed', '<OnConnectScript>OnConnect_routes.sh</OnConnectScript>');
    p.hook('OnConnect_routes.sh', ['#!/bin/sh', 'ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0']);
    p.hook('OnConnect_another.sh', ['#!/bin/sh', 'exit 9']);
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['connect'], profile: p.profile }, { onSpawn: box.track });
    const [run] = report.runs as AnyConnectRun[];
    assert.equal(path.basename(run.script), 'OnConnect_routes.sh');
    assert.equal(run.chosenBy.rule, 'profile-element');
    assert.match(run.chosenBy.detail, /<OnConnectScript> in profile\.xml names OnConnect_routes\.sh/);
    assert.deepEqual(
      run.commands.map((c) => c.argv),
      [['ip', 'route', 'add', '192.168.100.0/24', 'via', '10.0.0.1', 'dev', 'tun0']],
    );
    assert.equal(report.ok, true);
    assert.equal(report.dryRun, true);
  });

  test("Cisco's rule: the first OnConnect* file runs, and the other matches are named", async () => {
    const p = project('cisco', '<EnableScripting>true</EnableScripting>');
    p.hook('OnConnect_b.sh', ['#!/bin/sh', 'echo b']);
    p.hook('OnConnect_a.sh', ['#!/bin/sh', 'echo a']);
    p.hook('OnDisconnect_x.sh', ['#!/bin/sh', 'echo x']);
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['connect'], profile: p.profile }, { onSpawn: box.track });
    const [run] = report.runs as AnyConnectRun[];
    assert.equal(run.stdout, 'a\n');
    assert.equal(run.chosenBy.rule, 'cisco-prefix');
    assert.deepEqual(run.chosenBy.alsoMatched, ['OnConnect_b.sh']);
    assert.match(run.warnings.join('\n'), /OnConnect_b\.sh.*unpredictable/);
  });

  test('a named script that is missing, or names a path, is not run and fails the simulation', async () => {
    const p = project(
      'missing',
      '<OnConnectScript>OnConnect_gone.sh</OnConnectScript><OnDisconnectScript>../../etc/OnDisconnect_x.sh</OnDisconnectScript>',
    );
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['connect', 'disconnect'], profile: p.profile, gapMs: 0 });
    assert.deepEqual(report.runs, []);
    assert.match(report.skipped[0].reason, /OnConnect_gone\.sh, which is not in the script folder/);
    assert.match(report.skipped[1].reason, /not a plain file name/);
    assert.equal(report.ok, false);
  });

  test('without EnableScripting the report notes that Cisco would run nothing', async () => {
    const p = project('noscripting', '');
    p.hook('OnConnect_x.sh', ['#!/bin/sh', 'exit 0']);
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['connect'], profile: p.profile }, { onSpawn: box.track });
    assert.match(report.notes.join('\n'), /EnableScripting.*would run no script/);
  });

  test("reconnect runs the OnConnect hook with the seed executor's CISCO_VPN_EVENT, and says so", async () => {
    const p = project('reconnect', '<EnableScripting>true</EnableScripting>');
    p.hook('OnConnect_env.sh', printEnv);
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['reconnect'], profile: p.profile, env: { CISCO_VPN_USERNAME: 'u' } },
      { onSpawn: box.track },
    );
    const [run] = report.runs as AnyConnectRun[];
    assert.equal(run.stdout, 'u|vpn.lab.example.net|10.0.0.42|disconnect\n');
    assert.match(run.warnings[0], /sends "disconnect" for every event but connect/);
  });

  test('bad requests get a clear error', async () => {
    await assert.rejects(simulate({ kind: 'anyconnect', events: [] }), SimulationError);
    await assert.rejects(simulate({ kind: 'anyconnect', events: ['boot' as 'connect'], scripts: box.dir }), /Unknown event 'boot'/);
    await assert.rejects(simulate({ kind: 'anyconnect', events: ['connect'], profile: path.join(box.dir, 'nope.xml') }), /does not exist/);
    await assert.rejects(simulate({ kind: 'anyconnect', events: ['connect'], scripts: path.join(box.dir, 'nowhere') }), /is not a folder/);
    await assert.rejects(simulate({ kind: 'anyconnect', events: ['connect'] }), /Give a profile/);
  });
});

suite('simulateAnyConnect: environment', () => {
  test('defaults: the server from the first HostEntry, the event, a tunnel address', async () => {
    const p = project(
      'defaults',
      '<EnableScripting>true</EnableScripting>',
      '<HostEntry><HostName>First</HostName><HostAddress>first.example.org</HostAddress></HostEntry><HostEntry>' +
        '<HostName>Second</HostName><HostAddress>second.example.org</HostAddress></HostEntry>',
    );
    p.hook('OnDisconnect_env.sh', printEnv);
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['disconnect'], profile: p.profile }, { onSpawn: box.track });
    const [user, server, ip, event] = report.runs[0].stdout.trim().split('|');
    assert.ok(user.length > 0);
    assert.deepEqual([server, ip, event], ['first.example.org', '10.0.0.42', 'disconnect']);
  });

  test('overrides reach the hook verbatim: spaces, quotes and $(...) are never evaluated', async () => {
    const p = project('verbatim', '<EnableScripting>true</EnableScripting>');
    p.hook('OnConnect_env.sh', printEnv);
    const marker = path.join(box.dir, 'pwned');
    const hostile = `a b 'c' "d" $(touch ${marker}) \`touch ${marker}\` ; touch ${marker}`;
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect'], profile: p.profile, env: { CISCO_VPN_USERNAME: hostile, CISCO_VPN_IP: '10.9.8.7' } },
      { onSpawn: box.track },
    );
    assert.equal(report.runs[0].stdout, `${hostile}|vpn.lab.example.net|10.9.8.7|connect\n`);
    assert.equal(report.runs[0].env.CISCO_VPN_USERNAME, hostile);
    assert.equal(fs.existsSync(marker), false);
  });
});

suite('simulateAnyConnect: sequences and cancellation', () => {
  test("the profile's TerminateScriptOnNextEvent decides: true terminates the running connect hook", async () => {
    const p = project(
      'terminate',
      '<OnConnectScript>OnConnect_slow.sh</OnConnectScript><OnDisconnectScript>OnDisconnect_q.sh</OnDisconnectScript>' +
        '<TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent>',
    );
    p.hook('OnConnect_slow.sh', ['#!/bin/sh', 'sleep 30 &', 'wait']);
    p.hook('OnDisconnect_q.sh', ['#!/bin/sh', 'echo down']);
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: p.profile, gapMs: 150 },
      { onSpawn: box.track },
    );
    const [connect, disconnect] = report.runs as AnyConnectRun[];
    assert.equal(connect.atNextEvent, 'terminated');
    assert.equal(connect.terminatedByNextEvent, true);
    assert.equal(disconnect.stdout, 'down\n');
    assert.match(report.notes.join('\n'), /TerminateScriptOnNextEvent is true \(from the profile \(under ClientInitialization\)\)/);
    assert.equal(report.ok, false, 'a terminated hook did not exit 0');
  });

  test('the request overrides the profile: false lets the hook finish first', async () => {
    const p = project(
      'wait',
      '<OnConnectScript>OnConnect_w.sh</OnConnectScript><OnDisconnectScript>OnDisconnect_w.sh</OnDisconnectScript>' +
        '<TerminateScriptOnNextEvent>true</TerminateScriptOnNextEvent>',
    );
    p.hook('OnConnect_w.sh', ['#!/bin/sh', 'sleep 0.3', 'echo up']);
    p.hook('OnDisconnect_w.sh', ['#!/bin/sh', 'echo down']);
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: p.profile, gapMs: 50, terminateOnNextEvent: false },
      { onSpawn: box.track },
    );
    const [connect] = report.runs as AnyConnectRun[];
    assert.equal(connect.atNextEvent, 'waited-for');
    assert.equal(connect.stdout, 'up\n');
    assert.equal(report.ok, true);
  });

  test('cancelling kills the running hook group and later events never fire', async () => {
    const p = project('cancel', '<EnableScripting>true</EnableScripting>');
    p.hook('OnConnect_hang.sh', ['#!/bin/sh', "trap '' TERM", 'sleep 30 &', 'echo started', 'wait']);
    p.hook('OnDisconnect_never.sh', ['#!/bin/sh', 'echo never']);
    const abort = new AbortController();
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: p.profile, gapMs: 5_000, graceMs: 100 },
      { signal: abort.signal, onSpawn: box.track, onOutput: (_run, _label, _stream, text) => text.includes('started') && abort.abort() },
    );
    assert.equal(report.cancelled, true);
    assert.equal(report.ok, false);
    assert.equal(report.runs.length, 1);
    assert.equal(report.runs[0].cancelled, true);
    assert.deepEqual(
      report.runs[0].signalsSent.map((s) => s.signal),
      ['SIGTERM', 'SIGKILL'],
    );
    assert.deepEqual(report.skipped, [{ label: 'disconnect', reason: 'Cancelled before this event fired.' }]);
  });

  test('a process that leaves the group (setsid) is named in the report and does not outlive the simulation', async () => {
    const p = project('escape', '<EnableScripting>true</EnableScripting>');
    // The hook exits only once its child has left the session (field 6 of /proc/PID/stat), so the escape is certain.
    p.hook('OnConnect_escape.sh', [
      '#!/bin/sh',
      'setsid sleep 30 &',
      'child=$!',
      'sid() { cut -d" " -f6 "/proc/$1/stat"; }',
      'while [ "$(sid "$child")" = "$(sid $$)" ]; do sleep 0.01; done',
      'exit 0',
    ]);
    const report = await simulateAnyConnect({ kind: 'anyconnect', events: ['connect'], profile: p.profile }, { onSpawn: box.track });
    const [run] = report.runs;
    assert.equal(run.escaped?.length, 1, JSON.stringify(run));
    assert.match(run.escaped![0].command, /sleep 30/);
    assert.match(run.warnings.join('\n'), /left the hook's process group \(setsid or similar\)/);
    assert.equal(
      fs.existsSync(`/proc/${run.escaped![0].pid}/status`) &&
        !/State:\s+Z/.test(fs.readFileSync(`/proc/${run.escaped![0].pid}/status`, 'utf8')),
      false,
    );
  });

  test('output streams per run, labelled by its event', async () => {
    const p = project('stream', '<EnableScripting>true</EnableScripting>');
    p.hook('OnConnect_s.sh', ['#!/bin/sh', 'echo out', 'echo err >&2']);
    p.hook('OnDisconnect_s.sh', ['#!/bin/sh', 'echo bye']);
    const seen: string[] = [];
    await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: p.profile, gapMs: 0 },
      {
        onSpawn: box.track,
        onRunStart: (i, label) => seen.push(`start ${i} ${label}`),
        onOutput: (i, label, stream, text) => seen.push(`${i} ${label} ${stream} ${text.trim()}`),
      },
    );
    assert.deepEqual(
      seen.filter((s) => s.startsWith('start')),
      ['start 0 connect', 'start 1 disconnect'],
    );
    assert.ok(
      seen.includes('0 connect stdout out') && seen.includes('0 connect stderr err') && seen.includes('1 disconnect stdout bye'),
      seen.join('; '),
    );
  });

  test('the bundled seed example runs clean and records its commands', async () => {
    const report = await simulateAnyConnect(
      { kind: 'anyconnect', events: ['connect', 'disconnect'], profile: path.join(examples, 'seed/seed-profile.xml'), gapMs: 500 },
      { onSpawn: box.track },
    );
    assert.equal(report.ok, true, JSON.stringify(report.runs.map((r) => [r.exitCode, r.stderr, r.notRun])));
    assert.deepEqual(
      report.runs[0].commands.map((c) => c.argv[0]),
      ['logger', 'ip'],
    );
  });
});
