import * as fs from 'node:fs';

const PF_EXITING = 0x4;

/**
 * The living processes of a process group. On Linux from /proc: a process that has begun to exit
 * (PF_EXITING: killed, files closed, not yet a zombie) or is a zombie is not living, so an
 * un-reaped zombie (no init reaping in a container) does not count as "left". Without /proc the
 * group can only be probed as a whole: [pgid] while any member exists.
 */
export function groupMembers(pgid: number): number[] {
  if (!fs.existsSync('/proc/self/stat')) return probeGroup(pgid) ? [pgid] : [];
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((pid) => {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return []; // gone while we looked
    }
    const [state, , pgrp, , , , flags] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const living = state !== 'Z' && state !== 'X' && (Number(flags) & PF_EXITING) === 0;
    return living && Number(pgrp) === pgid ? [Number(pid)] : [];
  });
}

function probeGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to a whole process group; a group already gone (ESRCH) is the goal reached. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
