// Installs what the tests need from Debian, idempotently: nothing happens when it is already there.
// Runs before `npm test` (pretest) and from .ci/run. Needs root and apt-get to install.
import { spawnSync } from 'node:child_process';
import { aptGet } from './apt.mjs';

const packages = [
  { command: 'shellcheck', debian: 'shellcheck' },
  { command: 'nvim', debian: 'neovim' },
];

const has = (command) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
const missing = packages.filter((p) => !has(p.command));
if (missing.length === 0) process.exit(0);

const names = missing.map((p) => p.debian);
const canInstall = process.getuid?.() === 0 && has('apt-get');
if (!canInstall) {
  console.error(`The tests need ${names.join(', ')}: install ${names.length > 1 ? 'them' : 'it'} (Debian: apt-get install ${names.join(' ')}).`);
  process.exit(1);
}
console.log(`Installing ${names.join(', ')} from Debian for the tests...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...names]]) {
  const status = aptGet(args, { env });
  if (status !== 0) process.exit(status);
}
