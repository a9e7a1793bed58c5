import * as path from 'node:path';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { ScriptFolders } from '../../../profile/scripts';
import { scriptFoldersFor } from '../../../profile/scriptFolders';
import { AnyConnectRequest, AnyConnectRun } from '../request';
import { escapeWarning } from '../../../simulate/escapees';
import type { HookEvent } from '../request';
import type { RunOptions } from '../../../simulate/run';
import { runSequence, SequenceRun, SequenceStep } from '../../../simulate/sequence';
import { SimulationError, SimulationHooks } from '../../../simulate/simulationHooks';
import { Choice, chooseScript, scriptEventOf } from './choose';
import { defaultEnv } from './env';
import { ProfileFacts, readProfileFacts } from './profileFacts';
import { isDirectory, isFile } from '../../../fileKinds';
import { readRegularFileSync, refusal } from '../../../files/readFile';
import { anyconnectSandboxNetwork } from '../sandbox';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { createShims } from '../../../simulate/shims';

const maxProfileBytes = 10 * 1024 * 1024;

interface Planned {
  readonly event: HookEvent;
  /** Position of the event in the request: its time is index × gap. */
  readonly index: number;
  readonly file: string;
  readonly choice: Extract<Choice, { file: string }>['chosenBy'];
  readonly env: Record<string, string>;
}

/**
 * Fires the requested events as the seed's executor would, each running the hook chosen for it. The request was checked where it entered.
 */
export async function simulateAnyConnect(req: AnyConnectRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const facts = req.profile ? readProfile(req.profile) : undefined;
  const folders = scriptFolders(req);
  const terminate = req.terminateOnNextEvent ?? facts?.terminateOnNextEvent?.value ?? false;
  const notes = describe(req, facts, terminate);
  const planned: Planned[] = [];
  const skipped: Skipped[] = [];
  let failed = false;
  req.events.forEach((event, index) => {
    const choice = chooseScript(event, { facts, folders, explicit: req.script, profileName: req.profile && path.basename(req.profile) });
    if ('skipped' in choice) {
      skipped.push({ label: event, reason: choice.skipped });
      failed ||= facts?.scripts[scriptEventOf[event]] !== undefined; // the profile names a script the executor cannot run
      return;
    }
    planned.push({ event, index, file: choice.file, choice: choice.chosenBy, env: { ...defaultEnv(event, facts), ...req.env } });
  });
  const shims = req.live || !planned.length ? undefined : createShims();
  try {
    const { sandbox, isolation } = await isolateHooks({
      mode: req.isolation,
      live: req.live,
      limits: req.limits,
      network: anyconnectSandboxNetwork(planned[0]?.env ?? {}),
      hookFiles: planned.map((p) => p.file),
      readOnly: req.profile ? [path.dirname(path.resolve(req.profile))] : [],
      shims,
    });
    try {
      const runs = await runPlanned(planned, req, terminate, hooks, { shims, sandbox });
      for (const p of planned.slice(runs.length)) skipped.push({ label: p.event, reason: 'Cancelled before this event fired.' });
      return simulationReport({
        kind: 'anyconnect',
        isolation,
        runs,
        skipped,
        notes,
        pairs: { isUp: (r) => r.event === 'connect', isDown: (r) => r.event === 'disconnect' },
        live: req.live,
        ok: !failed && runs.length > 0 && runs.every((r) => r.exitCode === 0 && !r.notRun),
        signal: hooks.signal,
      });
    } finally {
      sandbox?.dispose();
    }
  } finally {
    shims?.dispose();
  }
}

async function runPlanned(
  planned: readonly Planned[],
  req: AnyConnectRequest,
  terminate: boolean,
  hooks: SimulationHooks,
  within: Pick<RunOptions, 'shims' | 'sandbox'>,
): Promise<AnyConnectRun[]> {
  if (!planned.length) return [];
  const gap = req.gapMs ?? simulationDefaults.gapMs;
  const steps: SequenceStep[] = planned.map((p, i) => ({
    event: p.event,
    script: p.file,
    env: p.env,
    gapMs: i === 0 ? 0 : (p.index - planned[i - 1].index) * gap,
  }));
  const results = await runSequence(steps, terminate, {
    timeoutMs: req.timeoutMs,
    graceMs: req.graceMs,
    live: req.live,
    cancel: hooks.signal,
    allowUnintercepted: req.allowUnintercepted,
    ...within,
    perRun: (i) => {
      hooks.onRunStart?.(i, planned[i].event, planned[i].file);
      return {
        onStdout: (text) => hooks.onOutput?.(i, planned[i].event, 'stdout', text),
        onStderr: (text) => hooks.onOutput?.(i, planned[i].event, 'stderr', text),
        onSpawn: hooks.onSpawn,
      };
    },
  });
  return results.map((run, i) => report(run, planned[i]));
}

function report(run: SequenceRun, p: Planned): AnyConnectRun {
  const warnings: string[] = [];
  if (p.event === 'reconnect' || p.event === 'update') {
    warnings.push(
      `CISCO_VPN_EVENT is "${p.env.CISCO_VPN_EVENT}": the seed's executor sends "disconnect" for every event but ` +
        `connect, so a hook cannot tell ${p.event} from disconnect by it.`,
    );
  }
  if (p.choice.alsoMatched?.length) {
    warnings.push(
      `Other files match the same prefix: ${p.choice.alsoMatched.join(', ')}. Cisco's client runs only one of them, ` +
        `and which one is unpredictable.`,
    );
  }
  if (run.leftRunning.length)
    warnings.push(`The hook exited but left ${run.leftRunning.length} process(es) of its group running; they were killed.`);
  const escaped = escapeWarning(run.escaped);
  if (escaped) warnings.push(escaped);
  if (run.survivors.length) warnings.push(`${run.survivors.length} process(es) survived SIGKILL: ${run.survivors.join(', ')}.`);
  return { ...run, event: p.event, label: p.event, env: p.env, warnings, chosenBy: p.choice };
}

function readProfile(file: string): ProfileFacts {
  const read = readRegularFileSync(file, maxProfileBytes);
  if (read.kind === 'missing') throw new SimulationError(`Cannot read the profile ${file}: it does not exist.`);
  if (read.kind === 'not-regular') throw new SimulationError(refusal(`The profile ${file}`, read.what));
  if (read.kind === 'too-large') throw new SimulationError(`The profile ${file} is larger than 10 MB; not read.`);
  if (read.kind === 'error') throw new SimulationError(`Cannot read the profile ${file}: ${read.reason}.`);
  return readProfileFacts(read.bytes.toString('utf8'));
}

/** The script folder given, else the profile's (its folder, script/, scripts/), else the explicit script's. */
function scriptFolders(req: AnyConnectRequest): ScriptFolders {
  if (req.scripts) {
    const dir = path.resolve(req.scripts);
    if (!isDirectory(dir)) throw new SimulationError(`The script folder ${dir} does not exist or is not a folder.`);
    return { folders: [dir], find: (name) => (isFile(path.join(dir, name)) ? dir : undefined) };
  }
  if (req.profile) return scriptFoldersFor(path.resolve(req.profile));
  if (req.script) return { folders: [path.dirname(path.resolve(req.script))], find: () => undefined };
  throw new SimulationError('Give a profile, a script folder or a script to simulate.');
}

function describe(req: AnyConnectRequest, facts: ProfileFacts | undefined, terminate: boolean): string[] {
  const notes: string[] = [];
  if (req.profile) notes.push(`Profile: ${req.profile}.`);
  const source =
    req.terminateOnNextEvent !== undefined
      ? 'the request'
      : facts?.terminateOnNextEvent
        ? `the profile (under ${facts.terminateOnNextEvent.where})`
        : 'the default';
  if (req.events.length > 1)
    notes.push(
      `TerminateScriptOnNextEvent is ${terminate} (from ${source}): a hook still running when the next event fires is ` +
        `${terminate ? 'terminated (SIGTERM, 500 ms, SIGKILL)' : 'let finish before the next hook starts'}.`,
    );
  if (facts && !facts.scripts.OnConnect && !facts.scripts.OnDisconnect && facts.enableScripting !== true) {
    notes.push(
      "The profile does not set <EnableScripting>true</EnableScripting>: Cisco's client would run no script at all. Simulated anyway.",
    );
  }
  return notes;
}
