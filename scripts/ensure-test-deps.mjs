// Installs what the tests need from Debian, idempotently: nothing happens when it is already there.
// Runs before `npm test` (pretest) and from .ci/run. Needs root and apt-get to install.
// Other jobs on the machine may hold dpkg's lock: apt-get waits for it instead of failing.
import { spawnSync } from 'node:child_process';

const packages = [
  { command: 'shellcheck', debian: 'shellcheck' },
  { command: 'nvim', debian: 'neovim' },
  // The simulation sandbox (bubblewrap; util-linux unshare is the fallback) and the state it diffs.
  { command: 'bwrap', debian: 'bubblewrap' },
  { command: 'ip', debian: 'iproute2' },
  { command: 'iptables', debian: 'iptables' },
  { command: 'nft', debian: 'nftables' },
];

const has = (command) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore', env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } }).status === 0;
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
const lock = ['-o', 'DPkg::Lock::Timeout=600'];
for (const args of [[...lock, 'update', '-qq'], [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...names]]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
