/**
 * Processes a hook started that left its process group (setsid, setpgid, `set -m` jobs): the group
 * kill cannot reach them, so a scan of /proc finds them and they are signalled one by one. A
 * process counts as the hook's when, started after the hook:
 * - its parent chain reaches a member of the hook's group or an escapee already found (works while
 *   the chain is intact: at the timeout, or while the intermediate processes still run);
 * - or its environment carries this run's marker (HOOKSMITH_RUN_ID=<random>, set for the hook and
 *   inherited by everything it starts unless cleared, as `env -i` does);
 * - or (asked for when the output stays open past the group's end) it holds the hook's stdout or
 *   stderr.
 * A process that cleared its environment, redirected its output and whose parent has already
 * exited is not found: without a cgroup per run nothing ties it to the hook any more.
 */
import * as fs from 'node:fs';
import type { EscapedProcess } from '../protocol';
import { processInfo, ProcessInfo } from './group';

/** The variable carrying a run's marker in the hook's environment. */
export const runMarkerVar = 'HOOKSMITH_RUN_ID';

export type { EscapedProcess };

export interface EscapeWatch {
  /** Looks for new escapees in `table` (read before the group was signalled, so parent chains are intact). */
  scan(table: readonly ProcessInfo[] | undefined, lookAtOutputs?: boolean): void;
  /** Signals every escapee still living (and the group it leads); whether any was. */
  signal(signal: NodeJS.Signals): boolean;
  /** Pids of the escapees still living. */
  living(): number[];
  found(): EscapedProcess[];
}

const maxChain = 256;

/** Starts watching for escapees of the group `pgid` led by the hook, which carries `marker`; `own` processes are the runner's. */
export function watchEscapes(pgid: number, marker: string, own?: (pid: number) => boolean): EscapeWatch {
  const since = processInfo(pgid)?.startTicks ?? 0;
  // Read now, before the script can redirect them: the sockets its stdout and stderr are.
  const outputs = [1, 2].flatMap((fd) => fdTarget(pgid, fd) ?? []).filter((t) => /^(socket|pipe):/.test(t));
  const needle = `${runMarkerVar}=${marker}`;
  const known = new Map<number, { process: EscapedProcess; startTicks: number }>();

  const isKnown = (p: ProcessInfo): boolean => known.get(p.pid)?.startTicks === p.startTicks;
  const descends = (p: ProcessInfo, byPid: Map<number, ProcessInfo>): boolean => {
    let parent = byPid.get(p.ppid);
    for (let i = 0; parent && parent.pid > 1 && i < maxChain; i++, parent = byPid.get(parent.ppid)) {
      if (parent.pgrp === pgid || isKnown(parent)) return true;
    }
    return false;
  };
  const howFound = (p: ProcessInfo, byPid: Map<number, ProcessInfo>, lookAtOutputs: boolean): EscapedProcess['foundBy'] | undefined => {
    if (descends(p, byPid)) return 'ancestry';
    if (environOf(p.pid).includes(needle)) return 'marker';
    if (lookAtOutputs && outputs.length && holdsAny(p.pid, outputs)) return 'output';
    return undefined;
  };
  const alive = (): { pid: number; info: ProcessInfo }[] =>
    [...known.entries()].flatMap(([pid, k]) => {
      const info = processInfo(pid);
      return info?.living && info.startTicks === k.startTicks ? [{ pid, info }] : [];
    });

  return {
    scan(table, lookAtOutputs = false) {
      if (!table) return;
      const byPid = new Map(table.map((p) => [p.pid, p]));
      // Oldest first, so a child is looked at after its parent was found.
      const candidates = table
        .filter((p) => p.living && p.pgrp !== pgid && p.pid !== process.pid && p.startTicks >= since && !isKnown(p) && !own?.(p.pid))
        .sort((a, b) => a.startTicks - b.startTicks || a.pid - b.pid);
      for (const p of candidates) {
        const foundBy = howFound(p, byPid, lookAtOutputs);
        if (foundBy) known.set(p.pid, { process: { pid: p.pid, command: commandOf(p.pid), foundBy }, startTicks: p.startTicks });
      }
    },
    signal(signal) {
      const targets = alive();
      for (const { pid, info } of targets) {
        trySignal(pid, signal);
        if (info.pgrp === pid) trySignal(-pid, signal); // it leads a group of its own (setsid): its children too
      }
      return targets.length > 0;
    },
    living: () => alive().map((t) => t.pid),
    found: () => [...known.values()].map((k) => k.process),
  };
}

function trySignal(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // gone meanwhile: the goal
  }
}

function environOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return ''; // another user's process, or gone
  }
}

function fdTarget(pid: number, fd: number | string): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function holdsAny(pid: number, targets: readonly string[]): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    const target = fdTarget(pid, fd);
    return target !== undefined && targets.includes(target);
  });
}

function commandOf(pid: number): string {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    if (argv) return argv.length > 300 ? `${argv.slice(0, 300)}…` : argv;
    return `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '?';
  }
}

/** The report's sentence about processes that left the hook's process group, if any did. */
export function escapeWarning(escaped: readonly EscapedProcess[] | undefined): string | undefined {
  if (!escaped?.length) return undefined;
  const list = escaped.map((e) => `${e.pid} (${e.command.slice(0, 80)}; found by ${e.foundBy})`).join(', ');
  return (
    `${escaped.length} process(es) left the hook's process group (setsid or similar), so a group kill alone would ` +
    `miss them; the simulation signalled them too: ${list}. The real executor would leave them running.`
  );
}
