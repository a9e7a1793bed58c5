import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const PF_EXITING = 0x4;

/** One process as /proc/<pid>/stat shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /**
   * Not a zombie and not exiting: a process that has begun to exit (PF_EXITING: killed, files
   * closed, not yet a zombie) or is an un-reaped zombie (no init reaping in a container) is gone.
   */
  readonly living: boolean;
  /** Clock ticks after boot: with the pid, it tells a process from a later one that reused the pid. */
  readonly startTicks: number;
}

/** Every process on the machine, from one pass over /proc; undefined where there is no /proc. */
export function processTable(): ProcessInfo[] | undefined {
  return readTable(() => true);
}

/**
 * The processes started since `firstPid` was: everything a hook (pid `firstPid`) has started
 * is among them. Linux hands out pids in a cycle, so these are the pids after `firstPid` up to the
 * last one allocated; only their stat files are read, which keeps a run's scans cheap on a machine
 * with many processes. Without the last pid (no ns_last_pid), every process.
 */
export function processesSince(firstPid: number): ProcessInfo[] | undefined {
  return readTable(
    (pid, last) => last === undefined || (last >= firstPid ? pid >= firstPid && pid <= last : pid >= firstPid || pid <= last),
  );
}

function readTable(keep: (pid: number, lastPid: number | undefined) => boolean): ProcessInfo[] | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const names = fs.readdirSync('/proc');
  const last = lastPid(); // read after the listing: every listed pid was allocated by then
  return names.flatMap((name) => {
    if (!/^\d+$/.test(name) || !keep(Number(name), last)) return [];
    const info = processInfo(Number(name));
    return info ? [info] : [];
  });
}

function lastPid(): number | undefined {
  try {
    const last = Number(fs.readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    return Number.isInteger(last) && last > 0 ? last : undefined;
  } catch {
    return undefined;
  }
}

/** One process, or undefined once it is gone (reaped) or where there is no /proc. */
export function processInfo(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces and parentheses): state ppid pgrp session tty tpgid flags ... starttime (22nd).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid, pgrp] = fields;
  const living = state !== 'Z' && state !== 'X' && (Number(fields[6]) & PF_EXITING) === 0;
  return { pid, ppid: Number(ppid), pgrp: Number(pgrp), living, startTicks: Number(fields[19]) };
}

/**
 * The living processes of a process group (see ProcessInfo.living). Without /proc the group can
 * only be probed as a whole: [pgid] while any member exists.
 */
export function groupMembers(pgid: number, table = processTable()): number[] {
  if (!table) return probeGroup(pgid) ? [pgid] : [];
  return table.filter((p) => p.living && p.pgrp === pgid).map((p) => p.pid);
}

/** Whether the group has a living member; cheap while its leader lives (one file, not all of /proc). */
export function groupHasLiving(pgid: number): boolean {
  const leader = processInfo(pgid);
  if (leader?.living && leader.pgrp === pgid) return true;
  return groupMembers(pgid).length > 0;
}

function probeGroup(pgid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, 0); // Windows has no process groups to probe: the leader stands for the tree
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to a whole process group; a group already gone (ESRCH) is the goal reached. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === 'win32') return killTree(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows has no signals to send a tree: taskkill /T /F ends the process and its descendants at
 * once (a console hook gets no chance to clean up, so SIGTERM and SIGKILL are the same there).
 */
function killTree(pid: number): boolean {
  const r = spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
  return r.status === 0;
}
