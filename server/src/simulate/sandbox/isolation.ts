import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IsolationMode, SandboxLimits } from '../../protocol';
import { loadShellParser } from '../../shell/parser';
import { preflight } from '../preflight';
import { SimulationError } from '../simulationHooks';
import { analyseAhead } from '../sourcedCalls';
import { Isolation, SandboxTool } from './detect';
import { defaultLimits, openSandbox, Sandbox, SandboxError, SandboxNetwork } from './sandbox';

export interface IsolationRequest {
  readonly mode?: IsolationMode;
  readonly live?: boolean;
  readonly network: SandboxNetwork;
  readonly readOnly: readonly string[];
  readonly writable: readonly string[];
  readonly perRun?: readonly string[];
  readonly home: string;
  readonly limits?: SandboxLimits;
  readonly tool?: SandboxTool;
}

/**
 * The isolation a simulation gets: a sandbox (auto, sandbox) or the shims alone (shims, or auto
 * where no sandbox can start, saying why). A sandbox asked for that cannot start refuses the run.
 */
export async function isolate(req: IsolationRequest): Promise<{ sandbox?: Sandbox; isolation: Isolation }> {
  if (req.live) return { isolation: { mode: 'live', reason: '--live: the hooks ran on this machine, for real' } };
  const mode = req.mode ?? 'auto';
  if (mode === 'shims')
    return {
      isolation: { mode: 'shims', reason: 'isolation "shims" was asked for: only the shims stood between the hooks and this machine' },
    };
  // Its processes are spawned before this returns (see openSandbox): what follows here goes on while they set it up.
  const opening = openSandbox({ ...req, limits: req.limits ?? defaultLimits });
  // The hooks' analysis before each run needs the shell parser: loaded while the sandbox starts (a CLI's first run),
  // after the spawns (its load starts with some milliseconds of work on this thread).
  loadShellParser().catch(() => undefined); // a failure is the analysis's to report
  try {
    const sandbox = await opening;
    return { sandbox, isolation: sandbox.isolation };
  } catch (e) {
    if (!(e instanceof SandboxError)) throw e;
    if (mode === 'sandbox') throw new SimulationError(`${e.message} (isolation "sandbox" refuses to run without it)`);
    return { isolation: { mode: 'shims', reason: `auto: ${e.message}` } };
  }
}

/** What a family's simulator asks of the isolation for the hooks it is about to run. */
export interface HookIsolationRequest {
  readonly mode?: IsolationMode;
  readonly live?: boolean;
  readonly limits?: SandboxLimits;
  readonly network: SandboxNetwork;
  /** The hooks that will run; none: no sandbox is started. */
  readonly hookFiles: readonly string[];
  /** More folders the hooks must see, read-only (the config or profile they came from). */
  readonly readOnly?: readonly string[];
  readonly writable?: readonly string[];
  /** The run's shims, whose folders the sandbox shows read-only. */
  readonly shims?: { readonly shown: readonly string[]; readonly perRun: readonly string[] };
}

/**
 * `isolate` for a family's hooks: their folders (and the shims') shown read-only, the user's HOME
 * as the private one's model, and no sandbox at all when there is nothing to run (starting one
 * would only cost time).
 */
export function isolateHooks(req: HookIsolationRequest): Promise<{ sandbox?: Sandbox; isolation: Isolation }> {
  if (!req.hookFiles.length) {
    const mode = req.live ? ('live' as const) : ('shims' as const);
    return Promise.resolve({ isolation: { mode, reason: 'nothing to run, so no sandbox was started' } });
  }
  const isolated = isolate({
    mode: req.mode,
    live: req.live,
    limits: req.limits,
    home: os.homedir(),
    network: req.network,
    readOnly: [...new Set([...hookFolders(req.hookFiles), ...(req.readOnly ?? []), ...(req.shims?.shown ?? [])])].filter(
      (folder) => !req.shims?.perRun.includes(folder),
    ),
    perRun: req.shims?.perRun ?? [],
    writable: req.writable ?? [],
  });
  // Each hook's analysis before it runs is made while the sandbox starts instead, once its processes are spawned (see analyseAhead).
  if (!req.live && req.mode !== 'shims') analyseAhead(shellHooks(req.hookFiles));
  return isolated;
}

/** The hooks' texts that runHook analyses (shell scripts, as preflight reads them), with their folders. */
function shellHooks(files: readonly string[]): { text: string; dir: string }[] {
  return files.flatMap((file) => {
    const checked = preflight(file);
    return checked.ok && checked.shellText !== undefined ? [{ text: checked.shellText, dir: path.dirname(file) }] : [];
  });
}

/**
 * The folders a sandbox must show the hooks, read-only: each hook's own folder and, for a hook that
 * is a symbolic link, the folder of what it leads to (which may lie under the private /tmp or
 * HOME, and would otherwise be missing inside).
 */
export function hookFolders(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    folders.add(path.dirname(path.resolve(file)));
    try {
      folders.add(path.dirname(fs.realpathSync(file)));
    } catch {
      // a dangling link: preflight reports it, nothing more to show
    }
  }
  return [...folders];
}

/** What a sandboxed hook's traffic meets. */
export const noRouteOut =
  'Its network has no route out: loopback, the tunnel device (connected to nothing) and an unreachable default ' +
  'route, so nothing a hook sends (ping, curl, ...) leaves this machine.';

/** The report's first note: what stood between the hooks and this machine. Never "nothing was run" without a sandbox. */
export function isolationNote(isolation: Isolation): string {
  if (isolation.mode === 'live') return 'LIVE: hooks ran for real; nothing was intercepted.';
  if (isolation.mode === 'sandbox') {
    return (
      `Dry run in a sandbox (${isolation.tool}): whatever the hooks ran, by shim or by path, ran inside throwaway ` +
      `namespaces and changed nothing on this machine; the shims recorded the commands they intercepted. ` +
      `${noRouteOut} Why: ${isolation.reason}.`
    );
  }
  return (
    `Dry run with shims only (no sandbox): commands found through PATH were recorded by shims, not run; calls that ` +
    `bypass the shims would run for real, so hooks with such calls are refused unless allowed. Why: ` +
    `${isolation.reason}.`
  );
}
