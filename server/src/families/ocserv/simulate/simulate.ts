import * as path from 'node:path';
import { configContext, ConfigPlaces, requestPlaces } from '../../../config/context';
import { readConfigForSimulation } from '../../../config/readForSimulation';
import { parseKeyValue } from '../../../config/keyValue';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { escapeWarning } from '../../../simulate/escapees';
import { runHook, RunResult } from '../../../simulate/run';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { StateSnapshot } from '../../../simulate/sandbox/state';
import { simulationReport } from '../../../simulate/sandbox/report';
import { createShims } from '../../../simulate/shims';
import { SimulationHooks } from '../../../simulate/simulationHooks';
import { linkNote } from '../../../fileKinds';
import { isRestricted, ocservFacts, Restrictions, restrictionsOf, scriptKeys } from '../config';
import { OcservEvent, throughFw } from '../hooks';
import { OcservRequest, OcservRun } from '../request';
import { ocservSandboxNetwork } from '../sandbox';
import { sessionEnv, SessionShape } from './env';
import { ConfigSession, sessionFromConfig } from './fromConfig';

const maxConfigBytes = 4 * 1024 * 1024;

/** What ocserv.conf says about the scripts: which file each event runs, and whether ocserv-fw runs them. */
interface ConfFacts {
  readonly scripts: Partial<Record<OcservEvent, { readonly serverPath: string; readonly file?: string }>>;
  readonly restrictions: Restrictions;
  readonly session: ConfigSession;
}

interface Planned {
  readonly event: OcservEvent;
  readonly file: string;
  readonly detail: string;
  readonly env: Record<string, string>;
}

/**
 * Runs the events as ocserv's main process would: each script exec'd with no arguments and the
 * session's environment (or as `/bin/sh script` when ocserv-fw runs it), one at a time; connect's
 * status decides the login, and disconnect and host-update run only for an admitted session.
 */
export async function simulateOcserv(req: OcservRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  const conf = req.config ? readConf(req.config, requestPlaces(req)) : undefined;
  const restricted = !!conf && isRestricted(conf.restrictions);
  const ports = conf?.restrictions.ports;
  const notes = describe(req, conf);
  const skipped: Skipped[] = [];
  const planned: (Planned | undefined)[] = req.events.map((event) => {
    const chosen = scriptFor(event, req, conf);
    if ('skipped' in chosen) {
      skipped.push({ label: event, reason: chosen.skipped });
      return undefined;
    }
    const shape: SessionShape = {
      ipv6Only: req.ipv6Only === true,
      restrictRoutes: !!conf?.restrictions.routes,
      ports: ports?.ok && ports.entries.length ? ports : undefined,
      config: conf?.session,
    };
    return { event, file: chosen.file, detail: chosen.detail, env: { ...sessionEnv(event, shape), ...req.env } };
  });
  const toRun = planned.filter((p): p is Planned => p !== undefined);
  const shims = req.live || !toRun.length ? undefined : createShims();
  try {
    const { sandbox, isolation } = await isolateHooks({
      mode: req.isolation,
      live: req.live,
      limits: req.limits,
      network: ocservSandboxNetwork(toRun[0]?.env ?? {}),
      hookFiles: toRun.map((p) => p.file),
      readOnly: req.config ? [path.dirname(path.resolve(req.config))] : [],
      shims,
    });
    try {
      const runs: OcservRun[] = [];
      let login: 'accepted' | 'refused' | undefined;
      let deviceOpen = false;
      for (const p of planned) {
        if (!p) continue;
        if (hooks.signal?.aborted) {
          skipped.push({ label: p.event, reason: 'Cancelled before this event.' });
          continue;
        }
        if (p.event !== 'connect' && login === 'refused') {
          skipped.push({
            label: p.event,
            // The report writes "<event>: not run." before the reason.
            reason: `the connect script refused the login, and ocserv runs ${p.event} only for sessions whose connect script exited 0.`,
          });
          continue;
        }
        // ocserv makes the session's device before connect-script runs, and it is there until the session ends.
        let beforeDevice: StateSnapshot | undefined;
        if (sandbox && !deviceOpen) {
          beforeDevice = await sandbox.probe();
          await sandbox.openDevice();
          deviceOpen = true;
        }
        const index = runs.length;
        hooks.onRunStart?.(index, p.event, p.file);
        const run = await runHook(
          { event: p.event, script: p.file, env: p.env, ...(throughFw(p.event, restricted) ? { shell: '/bin/sh' } : {}) },
          {
            timeoutMs: req.timeoutMs ?? simulationDefaults.timeoutMs,
            graceMs: req.graceMs,
            live: req.live,
            cancel: hooks.signal,
            allowUnintercepted: req.allowUnintercepted,
            shims,
            sandbox,
            onStdout: (text) => hooks.onOutput?.(index, p.event, 'stdout', text),
            onStderr: (text) => hooks.onOutput?.(index, p.event, 'stderr', text),
            onSpawn: hooks.onSpawn,
          },
        );
        if (p.event === 'connect') login = run.exitCode === 0 && !run.notRun && !run.signal ? 'accepted' : 'refused';
        // The session ends after disconnect, or when connect refused the login: ocserv closes its tun device, and the
        // kernel drops the device with its addresses and the routes through it.
        let afterDevice: StateSnapshot | undefined;
        if (sandbox && deviceOpen && (p.event === 'disconnect' || login === 'refused')) {
          await sandbox.closeDevice();
          deviceOpen = false;
          afterDevice = await sandbox.probe();
        }
        runs.push(report(withSessionState(run, beforeDevice, afterDevice), p, req, restricted));
      }
      return simulationReport({
        kind: 'ocserv',
        isolation,
        runs,
        skipped,
        notes,
        pairs: { isUp: (r) => r.event === 'connect', isDown: (r) => r.event === 'disconnect', nameOf: (r) => r.event },
        live: req.live,
        ok: runs.length > 0 && runs.every((r) => !r.notRun && !r.timedOut && !r.signal),
        signal: hooks.signal,
      });
    } finally {
      sandbox?.dispose();
    }
  } finally {
    shims?.dispose();
  }
}

/**
 * The run's before / after as the machine is around the session (no device before connect, none after disconnect),
 * so the connect then disconnect verdict and a hook test's `restored` read what ocserv leaves; the diff stays what
 * the script itself changed.
 */
function withSessionState(run: RunResult, before: StateSnapshot | undefined, after: StateSnapshot | undefined): RunResult {
  const state = run.state;
  return state ? { ...run, state: { ...state, before: before ?? state.before, after: after ?? state.after } } : run;
}

function report(run: RunResult, p: Planned, req: OcservRequest, restricted: boolean): OcservRun {
  const warnings: string[] = [];
  let label: string = p.event;
  if (p.event === 'connect') {
    const accepted = run.exitCode === 0 && !run.notRun && !run.signal;
    const why = run.notRun ? 'the script could not be started' : run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
    label = accepted ? 'connect: login accepted' : `connect: login refused (${why})`;
    if (run.exitCode === 127)
      warnings.push(
        'Exit 127 is "command not found": the login is refused because something the script runs is missing, not because of a decision.',
      );
    if (run.timedOut)
      warnings.push(
        `The script was still running after the simulation's ${(req.timeoutMs ?? simulationDefaults.timeoutMs) / 1000} ` +
          `s timeout and was killed: ocserv has no timeout, so this user's login would hang forever.`,
      );
  } else if (run.exitCode !== 0 && run.exitCode !== null) {
    warnings.push(`${p.event} exited ${run.exitCode}: ocserv does not wait for this script, and ignores its status.`);
  }
  if (throughFw(p.event, restricted))
    warnings.push(`Run as /bin/sh ${path.basename(p.file)}, as ocserv-fw runs it (ocserv.conf restricts users): the #! line is ignored.`);
  if (run.leftRunning.length)
    warnings.push(`The script exited but left ${run.leftRunning.length} process(es) of its group running; they were killed.`);
  const escaped = escapeWarning(run.escaped);
  if (escaped) warnings.push(escaped);
  if (run.survivors.length) warnings.push(`${run.survivors.length} process(es) survived SIGKILL: ${run.survivors.join(', ')}.`);
  return {
    ...run,
    event: p.event,
    label,
    env: p.env,
    warnings,
    chosenBy: { rule: req.script ? 'explicit' : 'config-key', detail: p.detail },
    firedAtMs: 0,
    startedAtMs: 0,
    atNextEvent: 'already-finished',
  };
}

function scriptFor(
  event: OcservEvent,
  req: OcservRequest,
  conf: ConfFacts | undefined,
): { file: string; detail: string } | { skipped: string } {
  if (req.script) return { file: path.resolve(req.script), detail: `${path.basename(req.script)} was chosen to run for every event.` };
  const key = `${event}-script`;
  const named = conf?.scripts[event];
  if (!named) return { skipped: `${path.basename(req.config ?? 'ocserv.conf')} sets no ${key}: ocserv runs nothing for ${event}.` };
  if (!named.file)
    return {
      skipped:
        `${key} = ${named.serverPath}, which is not in the workspace (looked through the server path mappings, at the path, ` +
        `then beside the config): not run.`,
    };
  return {
    file: named.file,
    detail: `${key} in ${path.basename(req.config ?? '')} names ${named.serverPath}, found at ${named.file}${linkNote(named.file)}.`,
  };
}

/** The config's script keys and restrictions; its absolute script paths are found as the linter finds them (serverPaths included). */
function readConf(file: string, places: ConfigPlaces): ConfFacts {
  const text = readConfigForSimulation(file, maxConfigBytes, 'an ocserv.conf');
  const parsed = parseKeyValue(text, { separator: '=', comments: '#', sections: true });
  const ctx = configContext(file, places);
  const facts = ocservFacts(parsed, ctx);
  const global = new Map(parsed.entries.filter((e) => e.section === undefined).map((e) => [e.key, e.value]));
  const scripts: ConfFacts['scripts'] = {};
  for (const key of scriptKeys.keys()) {
    const value = global.get(key);
    if (value) scripts[key.replace(/-script$/, '') as OcservEvent] = { serverPath: value, file: facts.scripts[key] };
  }
  const session = sessionFromConfig(parsed.entries.filter((e) => e.section === undefined));
  const last = new Map(parsed.entries.filter((e) => e.section === undefined).map((e) => [e.key, e]));
  return { scripts, restrictions: restrictionsOf(last), session };
}

function describe(req: OcservRequest, conf: ConfFacts | undefined): string[] {
  const timeout = (req.timeoutMs ?? simulationDefaults.timeoutMs) / 1000;
  const notes: string[] = [];
  if (req.config) notes.push(`Config: ${req.config}.`);
  if (conf?.session.from.length)
    notes.push(
      `Session values from ocserv.conf's ${conf.session.from.join(', ')}, as ocserv derives them (the other values are ` + `examples).`,
    );
  notes.push(
    `ocserv has no timeout for its scripts (a hanging connect script stalls that login forever); the simulation's ` +
      `own timeout of ${timeout} s applies to each script.`,
  );
  notes.push("Each script is exec'd with no arguments, as ocserv's main process runs it; what it prints goes to ocserv's log.");
  if (conf?.restrictions.ports?.ok === false)
    notes.push(
      'ocserv.conf has a restrict-user-to-ports ocserv cannot parse: ocserv would not start (HS511). Simulated without ' +
        'port restrictions.',
    );
  if (conf && isRestricted(conf.restrictions))
    notes.push(
      'ocserv.conf restricts users: for connect and disconnect ocserv runs ocserv-fw, which runs your script as ' +
        "/bin/sh script (the #! line is ignored); host-update-script is still exec'd directly.",
    );
  if (req.ipv6Only) notes.push('IPv6-only session: IP_LOCAL, IP_REMOTE and the IPv4 route and DNS lists are not set.');
  return notes;
}
