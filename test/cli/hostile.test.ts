// The CLI on what a hostile repository can hold: FIFOs, links to devices, names with control
// characters, huge files. Every child has its own deadline and is killed with SIGKILL at it,
// so a regression shows as a failed assertion, never as a hung suite.
import * as assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import type { AnyConnectRun } from '../../server/src/families/anyconnect/request';
import type { SimulationReport } from '../../server/src/protocol';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-cli-hostile-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function write(file: string, text: string | Buffer, mode = 0o755): string {
  const full = path.join(work, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  fs.chmodSync(full, mode);
  return full;
}

function fifo(file: string, mode = 0o644): string {
  const full = path.join(work, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  const made = spawnSync('mkfifo', ['-m', mode.toString(8), full]);
  assert.equal(made.status, 0, `mkfifo ${full}`);
  return full;
}

function link(target: string, file: string): string {
  const full = path.join(work, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.symlinkSync(target, full);
  return full;
}

function run(args: readonly string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 512 * 1024 * 1024,
    ...options,
  });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const profile = (body: string): string =>
  `<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n${body}</AnyConnectProfile>\n`;
const badProfile = profile('  <ClientInitialization>\n    <AutoUpdate>yes</AutoUpdate>\n  </ClientInitialization>\n');

suite('hooksmith lint on special files', () => {
  test('a FIFO named on the command line: one clear error, exit 2, no hang', () => {
    const file = fifo('special/OnConnect_fifo.sh');
    const r = run(['lint', file]);
    assert.equal(r.signal, null, 'lint finished by itself');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*OnConnect_fifo\.sh: a FIFO \(named pipe\), not a regular file/);
  });

  test('a folder holding a hook linked to /dev/zero and one linked to a FIFO: each is an error, exit 2, the rest is linted', () => {
    write('zero/OnConnect_ok.sh', '#!/bin/sh\nexit 0\n');
    link('/dev/zero', 'zero/OnConnect_zero.sh');
    link(fifo('zero-target/pipe'), 'zero/OnDisconnect_pipe.sh');
    const r = run(['lint', 'zero']);
    assert.equal(r.signal, null);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot read zero\/OnConnect_zero\.sh: a character device, not a regular file/);
    assert.match(r.stderr, /cannot read zero\/OnDisconnect_pipe\.sh: a FIFO \(named pipe\), not a regular file/);
    assert.match(r.stdout, /in 1 hook; 2 paths not read \(see the messages\)\n$/);
  });

  test('a profile piped in as /dev/stdin is refused with a pointer to -, not skipped with exit 0', () => {
    const r = run(['lint', '/dev/stdin'], { input: badProfile, stdio: ['pipe', 'pipe', 'pipe'] });
    assert.equal(r.status, 2, r.stdout);
    // A shell's pipe is a FIFO; Node's child pipes are sockets: either way it is not a regular file.
    assert.match(r.stderr, /cannot read \/dev\/stdin: (a FIFO \(named pipe\)|a socket), not a regular file \(use - --stdin-filename NAME/);
  });

  test('- reads standard input, and --stdin-filename says what it is (profile or hook)', () => {
    const asProfile = run(['lint', '-', '--stdin-filename', 'vpn/piped.xml'], { input: badProfile });
    assert.equal(asProfile.status, 1, asProfile.stderr);
    assert.equal(
      asProfile.stdout,
      'vpn/piped.xml:4:17: error HS206 <AutoUpdate>: "yes" is not one of: true, false.\n1 problem (1 error, 0 ' +
        'warnings, 0 notes) in 1 profile\n',
    );
    const asHook = run(['lint', '--stdin-filename', 'OnConnect_piped.sh', '-'], { input: 'ip route add 10.1.0.0/16\n' });
    assert.equal(asHook.status, 0, asHook.stderr);
    assert.match(asHook.stdout, /^OnConnect_piped\.sh:1:1: warning HS406 /m);
    const unknown = run(['lint', '-', '--stdin-filename', 'notes.txt'], { input: 'hello\n' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--stdin-filename notes\.txt is neither a profile/);
    const nameless = run(['lint', '-'], { input: badProfile });
    assert.equal(nameless.status, 2);
    assert.match(nameless.stderr, /give --stdin-filename NAME/);
  });

  test('UTF-16BE without a byte-order mark is read as UTF-16LE without one is: same findings, no HS110', () => {
    const text = badProfile.replace('<?xml version="1.0"?>\n', '');
    const le = write('utf16/le.xml', Buffer.from(text, 'utf16le'), 0o644);
    const be = write('utf16/be.xml', Buffer.from(text, 'utf16le').swap16(), 0o644);
    const findings = (file: string) =>
      JSON.parse(run(['lint', '--format', 'json', file]).stdout).diagnostics.map((d: { code: string; line: number; column: number }) => [
        d.code,
        d.line,
        d.column,
      ]);
    assert.deepEqual(findings(le), [['HS206', 3, 17]]);
    assert.deepEqual(findings(be), findings(le));
  });

  test('a Cyrillic lookalike of OnConnect is flagged (HS410) with the Latin name to rename it to', () => {
    write('confusable/Onсonnect_routes.sh', '#!/bin/sh\nexit 0\n');
    const r = run(['lint', 'confusable']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        String.raw`Onсonnect_routes\.sh:1:1: warning HS410 Onсonnect_routes\.sh only looks like a ` +
          String.raw`OnConnect hook: с \(U\+0441\) is not Latin\..* Rename it to OnConnect_routes\.sh\.`,
      ),
    );
  });
});

suite('hooksmith lint with hostile patterns', () => {
  test('a brace bomb or an overlong glob in --family is a usage error (exit 2) naming the pattern, not minutes of matching', () => {
    write('patterns/OnConnect_a.sh', '#!/bin/sh\n');
    const bomb = run(['lint', '--family', `${'{a,b}'.repeat(25)}=shorewall`, 'patterns']);
    assert.equal(bomb.status, 2);
    assert.match(bomb.stderr, /^hooksmith: --family \{a,b\}.*: its braces expand to 33,554,432 patterns; at most 256 are accepted\./);
    const long = run(['lint', '--family', `${'*'.repeat(600)}=anyconnect`, 'patterns']);
    assert.equal(long.status, 2);
    assert.match(long.stderr, /the pattern is 600 characters long; at most 512 are accepted/);
  });
});

suite('hooksmith lint output is safe for terminals and CI logs', () => {
  test('control characters in file names are escaped: no terminal escape passes, no forged file:line:col: line', () => {
    write('names/OnConnect_\u001b]0;owned\u0007.sh', '#!/bin/sh\n', 0o644);
    write('names/OnDisconnect_x\nforged.xml:1:1: error HS100 fake.sh', '#!/bin/sh\n', 0o644);
    const r = run(['lint', 'names']);
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/, 'no control character but the line ends');
    assert.doesNotMatch(r.stdout, /^forged/m, 'no line starts with the forged name');
    assert.match(r.stdout, /^names\/OnConnect_\\x1b\]0;owned\\x07\.sh:1:1: error HS405 /m);
    assert.match(r.stdout, /^names\/OnDisconnect_x\\nforged\.xml:1:1: error HS100 fake\.sh:1:1: error HS405 /m);
  });
});

suite('hooksmith lint on big inputs', () => {
  // Seconds of CPU each: at load 15 the 6.6 MB hook took 15 s of wall time for 4 s of CPU. The deadline is
  // for a hang, not for slowness, so it is far above what any load makes of that.
  const big = { timeout: 300_000 };

  test('a 1.6 MB profile with 200,000 problems: every one is reported (no stack overflow), or the first N with --max-problems', () => {
    write('big/many.xml', profile('<Zq/>\n'.repeat(200_000)), 0o644);
    assert.ok(fs.statSync(path.join(work, 'big/many.xml')).size > 1_200_000);
    const all = run(['lint', 'big/many.xml'], big);
    assert.equal(all.status, 0, all.stderr.slice(0, 500));
    const lines = all.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 200_001);
    assert.match(lines[0], /^big\/many\.xml:3:2: warning HS202 <Zq> is not a known child/);
    assert.match(lines[lines.length - 1], /^200000 problems \(0 errors, 200000 warnings, 0 notes\) in 1 profile$/);
    const capped = run(['lint', '--max-problems', '3', 'big/many.xml'], big);
    assert.equal(capped.status, 0);
    const shown = capped.stdout.trimEnd().split('\n');
    assert.deepEqual(
      shown.map((l) => / (HS\d+) /.exec(l)?.[1]),
      ['HS202', 'HS202', 'HS202', 'HS113', undefined],
    );
    assert.match(shown[3], /^big\/many\.xml:6:2: information HS113 199,997 more problems/);
  });

  test('a 6.6 MB Shorewall hook with 160,000 problems: all reported (no stack overflow)', () => {
    // Long comments keep the parse well inside its budget (2 ms per KB): the findings are the point.
    write('shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
    write('shorewall/start', 'echo ok\n' + `exit 1 # ${'x'.repeat(32)}\n`.repeat(160_000), 0o600);
    // Hooksmith's own findings are the point: ShellCheck would take minutes on this file.
    const all = run(['lint', '--shellcheck', 'off', '--format', 'json', 'shorewall/start'], big);
    assert.equal(all.status, 1, all.stderr.slice(0, 500));
    const codes: string[] = JSON.parse(all.stdout).diagnostics.map((d: { code: string }) => d.code);
    assert.equal(codes.length, 160_000);
    assert.ok(codes.every((c) => c === 'HS440'));
  });

  test('--max-problems hides errors but not the exit status they give', () => {
    write('shorewall-few/shorewall.conf', '', 0o644);
    write('shorewall-few/start', 'echo ok\nexit 1\nexit 2\n', 0o600);
    write('shorewall-few/OnConnect_ok.sh', '#!/bin/sh\n', 0o644);
    const capped = run(['lint', '--max-problems', '1', 'shorewall-few/start']);
    assert.equal(capped.status, 1);
    assert.match(capped.stdout, /^shorewall-few\/start:2:1: error HS440 .*\nshorewall-few\/start:3:1: information HS113 1 more problems/);
    const bad = run(['lint', '--max-problems', '0', 'shorewall-few/start']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-problems must be a positive whole number/);
  });

  test('a 52 MB hook: one HS111, and only the limit is read', () => {
    const big = path.join(work, 'huge/OnConnect_big.sh');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    fs.writeFileSync(big, '#!/bin/sh\n' + 'echo hello world, this line is padding\n'.repeat(1_400_000));
    fs.chmodSync(big, 0o755);
    const r = run(['lint', 'huge']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      'huge/OnConnect_big.sh:1:1: warning HS111 This file is larger than the 10 MB limit (setting ' +
        'hooksmith.validate.maxFileSizeMB, CLI --max-size-mb); it was not validated.\n1 problem (0 errors, 1 warning, 0 ' +
        'notes) in 1 hook\n',
    );
  });
});

function simulate(args: readonly string[]) {
  const r = run(['simulate', ...args, '--json', '--timeout', '10', '--grace-ms', '100']);
  return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as SimulationReport) : undefined };
}

suite('hooksmith simulate on special files and links', () => {
  test('simulate --script on an executable FIFO: not run, with the reason; no hang', () => {
    const file = fifo('sim/OnConnect_fifo.sh', 0o755);
    const r = simulate(['connect', '--script', file]);
    assert.equal(r.signal, null, 'finished by itself');
    assert.equal(r.status, 1, r.stderr);
    const [run0] = r.report!.runs as AnyConnectRun[];
    assert.equal(run0.notRun?.reason, 'not-regular');
    assert.match(run0.notRun!.message, /OnConnect_fifo\.sh is a FIFO \(named pipe\), not a regular file/);
  });

  test('simulate shorewall with shorewall.conf linked to /dev/zero: one clear error, exit 2', () => {
    fs.mkdirSync(path.join(work, 'sw-zero'), { recursive: true });
    link('/dev/zero', 'sw-zero/shorewall.conf');
    write('sw-zero/start', 'echo started\n', 0o644);
    const r = run(['simulate', 'shorewall', 'start', '--confdir', 'sw-zero']);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /shorewall\.conf is a character device, not a regular file/);
  });

  test('links are followed to regular files by both rules; a link to a binary is never run in a dry run', () => {
    // The target lies outside the hook's folder (both under /tmp, which a sandbox makes private): it must still run.
    write('links-target/hook.sh', '#!/bin/sh\necho the link target ran\n');
    link(path.join(work, 'links-target/hook.sh'), 'links/OnConnect_linked.sh');
    link(process.execPath, 'links/OnDisconnect_binary');
    const byPrefix = simulate(['connect', '--scripts', 'links']);
    const [prefixRun] = byPrefix.report!.runs as AnyConnectRun[];
    assert.equal(prefixRun.chosenBy.rule, 'cisco-prefix');
    assert.equal(path.basename(prefixRun.script), 'OnConnect_linked.sh', 'the prefix rule sees the link');
    assert.match(
      prefixRun.chosenBy.detail,
      new RegExp(
        `is OnConnect_linked\\.sh \\(a link to ` +
          `${fs.realpathSync(path.join(work, 'links-target/hook.sh')).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\.$`,
      ),
      'the report says where the link leads',
    );
    assert.equal(prefixRun.exitCode, 0, prefixRun.stderr);
    assert.match(prefixRun.stdout, /the link target ran/);
    const binaryByPrefix = simulate(['disconnect', '--scripts', 'links']);
    assert.equal((binaryByPrefix.report!.runs as AnyConnectRun[])[0].notRun?.reason, 'binary-in-dry-run');
  });

  test('the profile-element rule never runs a hook linked to a binary in a dry run, and says what the link leads to', () => {
    link(process.execPath, 'element/OnConnect_binary');
    write(
      'element/profile.xml',
      profile('  <ClientInitialization>\n    <OnConnectScript>OnConnect_binary</OnConnectScript>\n  </ClientInitialization>\n'),
      0o644,
    );
    const r = simulate(['connect', '--profile', 'element/profile.xml']);
    const [run0] = r.report!.runs as AnyConnectRun[];
    assert.equal(run0.chosenBy.rule, 'profile-element');
    assert.equal(run0.notRun?.reason, 'binary-in-dry-run');
    assert.match(
      run0.notRun!.message,
      new RegExp(
        `OnConnect_binary \\(a link to ${fs.realpathSync(process.execPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) ` +
          `is a binary \\(ELF\\) program: a dry run cannot intercept`,
      ),
    );
  });
});
