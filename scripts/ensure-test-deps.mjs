// Installs what the tests need from Debian, idempotently: nothing happens when it is already there.
// Runs before `npm test` (pretest) and from .ci/run. Needs root and apt-get to install.
import { spawnSync } from 'node:child_process';
import { aptGet } from './apt.mjs';

// /usr/sbin too: ip, iptables and nft live there, and a non-login PATH may lack it.
const has = (command) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore', env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } }).status === 0;
// Emacs 29 has eglot built in; Debian 12's Emacs 28 gets it from elpa-eglot.
const emacsHasEglot = () => spawnSync('emacs', ['--batch', '--no-init-file', '--eval', "(progn (package-initialize) (require 'eglot))"], { stdio: 'ignore' }).status === 0;

const packages = [
  { present: () => has('shellcheck'), debian: ['shellcheck'] },
  { present: () => has('nvim'), debian: ['neovim'] },
  { present: () => has('emacs') && emacsHasEglot(), debian: ['emacs-nox', 'elpa-eglot'] },
  // The simulation sandbox (bubblewrap; util-linux unshare is the fallback) and the state it diffs.
  { present: () => has('bwrap'), debian: ['bubblewrap'] },
  { present: () => has('ip'), debian: ['iproute2'] },
  { present: () => has('iptables'), debian: ['iptables'] },
  { present: () => has('nft'), debian: ['nftables'] },
  // Hooks the sandbox tests run inside it (busybox's own applets; ping with no route out).
  { present: () => has('busybox'), debian: ['busybox'] },
  { present: () => has('ping'), debian: ['iputils-ping'] },
];

const missing = packages.filter((p) => !p.present());
if (missing.length === 0) process.exit(0);

const names = missing.flatMap((p) => p.debian);
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
