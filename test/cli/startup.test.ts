import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

// What `hooksmith lint` of one small hook loads. Start-up is most of such a run, and every module
// loaded is compiled (or read from V8's cache) on every run: a lint loads its bundle (through the
// code cache) and the node modules it uses, nothing else. Speed itself is measured in bench/startup.ts.
const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-startup-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

interface Loaded {
  /** node's own modules, as process.moduleLoadList names them ("NativeModule crypto"). */
  readonly builtins: string[];
  /** JavaScript files compiled from disk by node's loader (the code cache's bundle is not one). */
  readonly compiled: string[];
}

/** Runs `hooksmith lint ...args` with a preload that records, at exit, what the process loaded. */
function lintLoading(...args: string[]): Loaded & { status: number | null; stdout: string } {
  const preload = path.join(work, 'record.js');
  const record = path.join(work, 'loaded.json');
  fs.writeFileSync(
    preload,
    `const Module = require('node:module');
const compiled = [];
const js = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) { compiled.push(filename); return js.apply(this, arguments); };
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule '));
  require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ builtins, compiled }));
});
`,
  );
  // Output to files, as `> report.txt 2> errors.txt`: a pipe or a terminal loads net and streams for process.stdout itself.
  const [report, errors] = [path.join(work, 'report.txt'), path.join(work, 'errors.txt')];
  const [out, err] = [fs.openSync(report, 'w'), fs.openSync(errors, 'w')];
  const r = spawnSync(process.execPath, ['-r', preload, cli, 'lint', ...args], { cwd: work, timeout: 30_000, stdio: ['ignore', out, err] });
  fs.closeSync(out);
  fs.closeSync(err);
  assert.ok(r.status === 0 || r.status === 1, fs.readFileSync(errors, 'utf8'));
  return { status: r.status, stdout: fs.readFileSync(report, 'utf8'), ...(JSON.parse(fs.readFileSync(record, 'utf8')) as Loaded) };
}

test('linting one hook compiles no JavaScript file but the CLI, and loads none of the node modules a lint does not use', () => {
  fs.mkdirSync(path.join(work, 'scripts'));
  fs.writeFileSync(path.join(work, 'scripts/OnConnect_routes.sh'), '#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\n', { mode: 0o755 });
  const loaded = lintLoading('--shellcheck', 'off', 'scripts/OnConnect_routes.sh');
  assert.match(loaded.stdout, /HS452/, 'the hook was linted');
  // The shell parser's JavaScript glue is inside the bundle, under its code cache, not read from dist/.
  assert.deepEqual(loaded.compiled, [cli]);
  const unused = [
    'crypto', // a simulation's run marker and GitLab's fingerprints only
    'perf_hooks', // timing of simulations and hook tests
    'internal/fs/streams', // process.stdin, read only for `-`
    'internal/fs/promises',
    'readline',
  ];
  assert.deepEqual(
    unused.filter((m) => loaded.builtins.includes(`NativeModule ${m}`)),
    [],
  );
});

test('linting a profile starts no process, so it loads neither child_process nor the modules that one loads (net, dgram)', () => {
  fs.writeFileSync(
    path.join(work, 'profile.xml'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n' +
      '  <ClientInitialization>\n    <AutoReconnect>maybe</AutoReconnect>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
  );
  const loaded = lintLoading('profile.xml');
  assert.match(loaded.stdout, /HS206/, 'the profile was linted');
  assert.deepEqual(
    ['child_process', 'internal/child_process', 'net', 'dgram'].filter((m) => loaded.builtins.includes(`NativeModule ${m}`)),
    [],
  );
});

test('the CLI bundle is ASCII, so that V8 holds its source in one byte a character', () => {
  const bundle = fs.readFileSync(path.join(root, 'dist/hooksmith-cli.js'));
  const first = bundle.findIndex((byte) => byte > 0x7f);
  assert.equal(first, -1, `a non-ASCII byte at ${first}: ${bundle.subarray(Math.max(0, first - 60), first + 20).toString()}`);
});
