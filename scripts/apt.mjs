// apt-get for the set-up scripts: another apt or dpkg run (unattended-upgrades, a second agent's
// set-up) holding its lock makes them wait, bounded, instead of failing.
import { spawnSync } from 'node:child_process';

// apt's messages when a lock is held: the lists lock (update), the archives lock, dpkg's locks.
const lockHeld = /Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock/;

/**
 * Runs `apt-get ...args`; while it fails only because a lock is held, tries again until
 * `waitSeconds` have passed. dpkg's lock is also waited for inside apt (DPkg::Lock::Timeout);
 * apt 2.6's `update` does not honour that option for the lists lock, hence the retries.
 * Resolves to apt-get's exit status.
 */
export function aptGet(args, { env = process.env, waitSeconds = 600, pollMs = 2000, options = [], onWait = tell } = {}) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let waits = 0; ; waits++) {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    const r = spawnSync('apt-get', ['-o', `DPkg::Lock::Timeout=${left}`, ...options, ...args], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env,
      encoding: 'utf8',
    });
    if (r.status === 0 || !lockHeld.test(r.stderr ?? '') || Date.now() >= deadline) {
      process.stderr.write(r.stderr ?? '');
      return r.status ?? 1;
    }
    onWait(waits, waitSeconds);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pollMs);
  }
}

function tell(waits, waitSeconds) {
  if (waits === 0) console.log(`Another apt run holds its lock; waiting for it (at most ${waitSeconds} s)...`);
}

/** `command` is on PATH (/usr/sbin too: ip, iptables and nft live there, and a non-login PATH may lack it). */
export function has(command) {
  return (
    spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], {
      stdio: 'ignore',
      env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
    }).status === 0
  );
}

/**
 * Installs from Debian the `packages` ({ present(), debian: [names] }) whose present() is false,
 * idempotently and without stdin; `purpose` says who needs them ("the tests"). Exits the process with a
 * message when they cannot be installed (not root, no apt-get) or apt-get fails.
 */
export function installMissing(packages, purpose) {
  const missing = packages.filter((p) => !p.present());
  if (missing.length === 0) return;
  const names = missing.flatMap((p) => p.debian);
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  if (!canInstall) {
    console.error(
      `Missing for ${purpose}: ${names.join(', ')}; install ${names.length > 1 ? 'them' : 'it'} (Debian: apt-get ` +
        `install ${names.join(' ')}).`,
    );
    process.exit(1);
  }
  console.log(`Installing ${names.join(', ')} from Debian for ${purpose}...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...names],
  ]) {
    const status = aptGet(args, { env });
    if (status !== 0) process.exit(status);
  }
}
