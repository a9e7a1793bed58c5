import * as path from 'node:path';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { isDirectory } from '../../../fileKinds';
import { escapeWarning } from '../../../simulate/escapees';
import { runHook, RunResult } from '../../../simulate/run';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { Sandbox } from '../../../simulate/sandbox/sandbox';
import { pairNotes, RunState } from '../../../simulate/sandbox/state';
import { createShims, Shims } from '../../../simulate/shims';
import { SimulationError, SimulationHooks } from '../../../simulate/simulationHooks';
import { Action, invocationFor, isVpnAction, serverPathOf } from '../hooks';
import { treesOf } from '../trees';
import { NmRequest, NmRun, nmTimeoutMs } from '../request';
import { nmSandboxNetwork } from '../sandbox';
import { ActionPlan, planAction, PlannedScript } from './plan';

const label = (action: Action, name: string): string => `${action}: ${name}`;

/**
 * Runs the actions as NetworkManager's dispatcher does: per action, the scripts of its folder in
 * name order, each exec'd with $1 (the interface) and $2 (the action) and the documented
 * environment, from /, killed after 600 s. The waited-for scripts run one at a time; the ones
 * linked from no-wait.d start at once, and the action's waited-for scripts start when they have
 * ended (an action with only no-wait scripts does not hold the next one back). Skipped names and
 * refused files are reported with NetworkManager's reason. The request was checked where it entered.
 */
export async function simulateNm(req: NmRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const dir = dispatcherDirOf(req.dir);
  const iface = interfaceOf(req);
  const plans = req.events.map((action) => planAction(dir, action, label));
  const files = [...new Set(plans.flatMap((p) => p.scripts.map((s) => s.file)))];
  const shims = req.live || !files.length ? undefined : createShims();
  try {
    const first = invocationFor(req.events[0], interfaceFor(req, iface, req.events[0]), req.env, req.stack);
    const opened = await isolateHooks({
      mode: req.isolation,
      live: req.live,
      limits: req.limits,
      network: nmSandboxNetwork(first.args[0] || (first.env.VPN_IP_IFACE ?? 'tun0'), first.env),
      hookFiles: files,
      readOnly: [dir, ...(treesOf(dir).other ? [treesOf(dir).other as string] : [])],
      shims,
    });
    try {
      const { runs, skipped } = await runActions(req, plans, iface, hooks, shims, opened.sandbox);
      return simulationReport({
        kind: 'nm-dispatcher',
        isolation: opened.isolation,
        runs,
        skipped,
        notes: [...describe(req, dir, iface, plans), ...statePairs(runs)],
        live: req.live,
        ok: runs.length > 0 && runs.every((r) => r.exitCode === 0 && !r.notRun),
        signal: hooks.signal,
      });
    } finally {
      opened.sandbox?.dispose();
    }
  } finally {
    shims?.dispose();
  }
}

/** The dispatcher.d folder: the one given, or the dispatcher.d inside it (a NetworkManager folder). */
function dispatcherDirOf(given: string): string {
  const dir = path.resolve(given);
  if (!isDirectory(dir)) throw new SimulationError(`The dispatcher folder ${dir} does not exist or is not a folder.`);
  const inside = path.join(dir, 'dispatcher.d');
  return path.basename(dir) !== 'dispatcher.d' && isDirectory(inside) ? inside : dir;
}

/** The interface the request names, checked (a request from a client has only been checked to be a string). */
function interfaceOf(req: NmRequest): string | undefined {
  const given = req.interface;
  if (given === undefined || given === '') return undefined;
  if (!/^[A-Za-z0-9_.@+-]{1,15}$/.test(given))
    throw new SimulationError(`"interface" must be an interface name (1 to 15 letters, digits, _ . - + @), not '${given}'.`);
  return given;
}

/**
 * The interface given for an action: the tunnel's for vpn- actions; the device's for the others, unless vpn- actions are
 * asked for too, where it names the tunnel and the device under it keeps its own name (a dhcp4-change comes from eth0).
 */
function interfaceFor(req: NmRequest, iface: string | undefined, action: Action): string | undefined {
  return isVpnAction(action) || !req.events.some(isVpnAction) ? iface : undefined;
}

interface Slot {
  readonly done: Promise<NmRun>;
}

async function runActions(
  req: NmRequest,
  plans: readonly ActionPlan[],
  iface: string | undefined,
  hooks: SimulationHooks,
  shims: Shims | undefined,
  sandbox: Sandbox | undefined,
): Promise<{ runs: NmRun[]; skipped: Skipped[] }> {
  const slots: Slot[] = [];
  const skipped: Skipped[] = [];
  const start = (plan: ActionPlan, s: PlannedScript): Promise<NmRun> => {
    const index = slots.length;
    const { env, args } = invocationFor(plan.action, interfaceFor(req, iface, plan.action), req.env, req.stack);
    const name = label(plan.action, s.name);
    hooks.onRunStart?.(index, name, s.file);
    const done = runHook(
      { event: plan.action, script: s.file, env, args, cwd: '/', ...(s.viaSh ? { shell: '/bin/sh' } : {}) },
      {
        timeoutMs: req.timeoutMs ?? nmTimeoutMs,
        graceMs: req.graceMs ?? simulationDefaults.graceMs,
        live: req.live,
        cancel: hooks.signal,
        allowUnintercepted: req.allowUnintercepted,
        shims,
        sandbox,
        onStdout: (t) => hooks.onOutput?.(index, name, 'stdout', t),
        onStderr: (t) => hooks.onOutput?.(index, name, 'stderr', t),
        onSpawn: hooks.onSpawn,
      },
    ).then((run) => report(run, plan, s, env, req));
    slots.push({ done });
    return done;
  };
  for (const plan of plans) {
    skipped.push(...plan.skipped);
    if (hooks.signal?.aborted) {
      skipped.push({ label: plan.action, reason: 'not run: the simulation was cancelled' });
      continue;
    }
    if (!plan.scripts.length && !plan.skipped.length)
      skipped.push({ label: plan.action, reason: `no script in ${plan.folder}: NetworkManager runs nothing for ${plan.action}.` });
    // nm-dispatcher.c: the no-wait scripts start first, all at once; the waited-for ones after they have all ended, one at a time.
    const started = plan.scripts.filter((s) => s.noWait).map((s) => start(plan, s));
    const waited = plan.scripts.filter((s) => !s.noWait);
    if (!waited.length) continue; // a request of no-wait scripts only holds nothing back
    await Promise.all(started);
    for (const s of waited) {
      if (hooks.signal?.aborted) {
        skipped.push({ label: label(plan.action, s.name), reason: 'not run: the simulation was cancelled' });
        continue;
      }
      await start(plan, s);
    }
  }
  return { runs: await Promise.all(slots.map((s) => s.done)), skipped };
}

function report(run: RunResult, plan: ActionPlan, s: PlannedScript, env: Record<string, string>, req: NmRequest): NmRun {
  const warnings: string[] = [];
  const logged = s.file.startsWith('/etc/') || s.file.startsWith('/usr/lib/') ? s.file : serverPathOf(plan.folder, s.name, s.tree);
  if (s.noWait)
    warnings.push(
      "no-wait: started at once with the action's other no-wait scripts and not waited for (its waited-for scripts " +
        'started once they had all ended; with none, the next action did not wait for it).',
    );
  if (s.viaSh)
    warnings.push(
      `No #! on line 1: exec fails with ENOEXEC, so NetworkManager's spawn (GLib) ran it as /bin/sh ${s.name} ` +
        '(bash-only syntax fails there).',
    );
  if (run.timedOut)
    warnings.push(
      `Still running after ${(req.timeoutMs ?? nmTimeoutMs) / 1000} s: killed, as NetworkManager kills a dispatcher ` +
        `script at its 600 s timeout (it logs "complete: timeout (kill script)" and sends SIGKILL at once; the ` +
        `simulation sent SIGTERM first). Every later script waited that long.`,
    );
  else if (run.exitCode !== null && run.exitCode !== 0)
    warnings.push(
      `NetworkManager logs "Script '${logged}' exited with status ${run.exitCode}." and goes on` +
        `${plan.action === 'device-add' ? ': for device-add a failure means the device is not added' : ': nothing else acts on it'}.`,
    );
  if (run.leftRunning.length)
    warnings.push(`The script exited and left ${run.leftRunning.length} process(es) of its group running; they were killed.`);
  const escaped = escapeWarning(run.escaped);
  if (escaped) warnings.push(escaped);
  if (run.survivors.length) warnings.push(`${run.survivors.length} process(es) survived SIGKILL: ${run.survivors.join(', ')}.`);
  return { ...run, label: label(plan.action, s.name), hook: s.noWait ? 'no-wait.d' : plan.folder, env, warnings };
}

/** One up / down pair per action pair: the state before the first up script against the state after the last down script. */
function statePairs(runs: readonly NmRun[]): string[] {
  const byAction = new Map<string, { label: string; state: RunState }>();
  for (const r of runs) {
    const state = r.state as RunState | undefined;
    if (!state) continue;
    const action = r.label.split(':')[0];
    const seen = byAction.get(action);
    byAction.set(action, { label: action, state: seen ? { ...seen.state, after: state.after } : state });
  }
  const actionsRun = [...byAction.values()];
  return pairNotes(
    actionsRun,
    (r) => r.label === 'up' || r.label === 'vpn-up',
    (r) => r.label === 'down' || r.label === 'vpn-down',
  );
}

/** What $1 was, for the report's note. */
function firstArgument(req: NmRequest, iface: string | undefined): string {
  const mixed = req.events.some(isVpnAction) && !req.events.every(isVpnAction);
  return !iface || mixed ? `${iface ?? 'tun0'} for vpn- actions, eth0 for the others` : iface;
}

function describe(req: NmRequest, dir: string, iface: string | undefined, plans: readonly ActionPlan[]): string[] {
  const timeout = (req.timeoutMs ?? nmTimeoutMs) / 1000;
  const notes = [
    `Dispatcher folder: ${dir}. Per action, NetworkManager's scripts ran as it runs them: the folder for the action ` +
      `(pre-up.d for pre-up and vpn-pre-up, pre-down.d for pre-down and vpn-pre-down, dispatcher.d for the others), in ` +
      `name order, one at a time, each exec'd with $1 (${firstArgument(req, iface)}; "none" ` +
      `for hostname, empty for connectivity-change and dns-change) and $2 (the action), its environment ` +
      `(NM_DISPATCHER_ACTION, CONNECTION_ID, DEVICE_IFACE, IP4_ADDRESS_0 ..., VPN_IP_IFACE and VPN_IP4_* for vpn- ` +
      `actions${req.stack === 'ipv4' ? '; IPv4 only: no IP6_ variable' : ', the IP6_ ones too: dual-stack connections'}) and / as ` +
      `its working folder.`,
    `Timeout: ${timeout} s per script${timeout === 600 ? " (NetworkManager's own)" : ` (NetworkManager's own is 600 s)`}.`,
    "NetworkManager does not act on a script's exit status (it logs a failure), except for device-add. The simulation " +
      'counts a non-zero one as not ok, since the script failed at what it was run for.',
  ];
  const { own, other } = treesOf(dir);
  if (other)
    notes.push(
      `Merged with ${other} (the ${own === 'etc' ? '/usr/lib' : '/etc'} tree the workspace mirrors) by ` +
        'name, as NetworkManager merges /etc/NetworkManager/dispatcher.d and /usr/lib/NetworkManager/dispatcher.d: a name ' +
        "in /etc hides /usr/lib's, a /etc link to /dev/null masks it.",
    );
  if (plans.some((p) => p.scripts.some((s) => s.noWait)))
    notes.push(
      'Scripts linked from no-wait.d started at once, all together, without being waited for; the waited-for scripts ' +
        'of the same action started once they had ended.',
    );
  if (req.events.some((a) => a === 'pre-down' || a === 'vpn-pre-down'))
    notes.push('pre-down and vpn-pre-down are not sent on a forced disconnect (the device is already gone): do not rely on them alone.');
  return notes;
}
