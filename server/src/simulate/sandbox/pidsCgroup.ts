/**
 * The sandbox's process cap, held by the kernel. For an ordinary user RLIMIT_NPROC (set on the
 * hook) does it: the kernel counts the processes of the sandbox's own user namespace. Real root is
 * exempt from RLIMIT_NPROC, so there only the holder's poll stood, and a fork bomb doubled several
 * times between two looks (about 130 processes against a cap of 64). As root the sandbox gets a
 * pids cgroup of its own: a fork past its `pids.max` fails (EAGAIN), and the holder's guard fires
 * one past the cap or as soon as the cgroup's `pids.events` counts a refused fork. The holder reads
 * that file through a descriptor given at its start (a poll of the process count alone missed a
 * bomb that collapsed within 10 ms of its forks failing, and the hook then ended as if nothing had
 * happened).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PidsCgroup {
  /** Its `cgroup.procs`: a run's waiter moves itself in there before it forks anything (see waiterScript). */
  readonly procs: string;
  /** Its `pids.events` ("max N": the forks it refused), for the holder's guard. */
  readonly events: string;
  /** How many of the hook's processes were running when a fork was refused: the cgroup's cap less the run's first process. */
  readonly full: number;
  /** Removed once empty (the sandbox's processes are being killed: a few tries). */
  dispose(): void;
}

let made = 0;

/**
 * A pids cgroup allowing `cap` hook processes and one more (the guard's trigger) with a small margin, plus the run's
 * first process, which stays outside the sandbox's PID namespace; undefined where this process is
 * not root or no pids controller can be written.
 */
export function pidsCgroup(cap: number): PidsCgroup | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const base = pidsHierarchy();
  if (!base) return undefined;
  if (!made) sweep(base);
  const name = `hooksmith-sandbox-${process.pid}-${++made}`;
  const dir = path.join(base, name);
  try {
    fs.mkdirSync(dir);
    // Three more than the guard's trigger: a process the cgroup still counts (the waiter's probe child
    // not yet reaped, under load) must not keep the bomb one short of the trigger, forking in vain until its timeout.
    fs.writeFileSync(path.join(dir, 'pids.max'), String(cap + 5)); // see `full`
  } catch {
    remove(dir, 0);
    return undefined;
  }
  return {
    procs: path.join(dir, 'cgroup.procs'),
    events: path.join(dir, 'pids.events'),
    full: cap + 4,
    dispose: () => {
      left.add(dir);
      remove(dir, 20);
    },
  };
}

/** Folders not yet removed: a last try as this process exits (the timers of remove do not keep it alive). */
const left = new Set<string>();
process.once('exit', () => left.forEach((dir) => remove(dir, 0)));

/** Folders of processes that are gone (killed before their last try): removed when empty. */
function sweep(base: string): void {
  for (const name of fs.readdirSync(base)) {
    const owner = /^hooksmith-sandbox-(\d+)-\d+$/.exec(name)?.[1];
    if (owner && !fs.existsSync(`/proc/${owner}`)) remove(path.join(base, name), 0);
  }
}

/** cgroup v1's pids hierarchy, or the v2 root with the pids controller given to its children. */
function pidsHierarchy(): string | undefined {
  const v1 = '/sys/fs/cgroup/pids';
  if (fs.existsSync(path.join(v1, 'cgroup.procs'))) return v1;
  try {
    const v2 = '/sys/fs/cgroup';
    return fs.readFileSync(path.join(v2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('pids') ? v2 : undefined;
  } catch {
    return undefined;
  }
}

function remove(dir: string, tries: number): void {
  try {
    fs.rmdirSync(dir);
    left.delete(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' && tries > 0) setTimeout(() => remove(dir, tries - 1), 50).unref();
  }
}
