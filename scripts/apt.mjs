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
    const r = spawnSync('apt-get', ['-o', `DPkg::Lock::Timeout=${left}`, ...options, ...args], { stdio: ['ignore', 'inherit', 'pipe'], env, encoding: 'utf8' });
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
