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

/** A small AnyConnect profile with one finding (HS206, AutoReconnect's value). */
function writeProfile(file: string): void {
  fs.writeFileSync(
    file,
    '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n' +
      '  <ClientInitialization>\n    <AutoReconnect>maybe</AutoReconnect>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
  );
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
  writeProfile(path.join(work, 'profile.xml'));
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

test('the CLI runs from the code cache its earlier runs wrote: V8 accepts it, so each kind of run writes it once, not every time', () => {
  // A copy of the CLI's files, so that no other test's runs write this cache meanwhile. V8 rejects a
  // cache made under other flags: were the flags the entry sets and those the bundle sets ever to
  // differ, every run would compile the bundle afresh and write the cache again.
  const install = path.join(work, 'install');
  fs.mkdirSync(path.join(install, 'dist'), { recursive: true });
  for (const f of ['cli.js', 'hooksmith-cli.js', 'tree-sitter-bash.wasm', 'web-tree-sitter.wasm'])
    fs.copyFileSync(path.join(root, 'dist', f), path.join(install, 'dist', f));
  fs.writeFileSync(path.join(install, 'package.json'), JSON.stringify({ name: 'hooksmith' }));
  const hook = path.join(work, 'cached/scripts/OnConnect_routes.sh');
  fs.mkdirSync(path.dirname(hook), { recursive: true });
  fs.writeFileSync(hook, '#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\n', { mode: 0o755 });
  const profile = path.join(work, 'cached/profile.xml');
  writeProfile(profile);
  const run = (...args: string[]): string => {
    const r = spawnSync(process.execPath, [path.join(install, 'dist/cli.js'), ...args], { cwd: work, encoding: 'utf8', timeout: 30_000 });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return r.stdout;
  };
  const cache = (): { covers: string; stamp: string } => {
    const dir = path.join(install, 'dist/v8-cache');
    const [name, ...more] = fs.readdirSync(dir);
    assert.deepEqual(more, []);
    const file = path.join(dir, name);
    const bytes = fs.readFileSync(file);
    const { ino, mtimeMs } = fs.statSync(file);
    return { covers: bytes.subarray(0, bytes.indexOf(10)).toString(), stamp: `${ino}-${mtimeMs}` };
  };
  const hookFindings = run('lint', '--shellcheck', 'off', hook);
  assert.match(hookFindings, /HS452/);
  const first = cache();
  assert.equal(first.covers, '["lint:hook"]');
  assert.equal(run('lint', '--shellcheck', 'off', hook), hookFindings);
  assert.deepEqual(cache(), first, 'a second lint of a hook wrote the cache again: V8 rejected it');
  const profileFindings = run('lint', profile);
  assert.match(profileFindings, /HS206/);
  const second = cache();
  assert.equal(second.covers, '["lint:hook","lint:profile"]');
  run('--version');
  const third = cache();
  assert.equal(third.covers, '["lint:hook","lint:profile","other"]');
  assert.equal(run('lint', profile), profileFindings);
  assert.equal(run('lint', '--shellcheck', 'off', hook), hookFindings);
  assert.deepEqual(cache(), third, 'a covered kind of run wrote the cache again: V8 rejected it');
});
