import * as path from 'node:path';
import { looksBinary, parseKeyValue } from '../../../config/keyValue';
import { readRegularFileSync, refusal as notRegular } from '../../../files/readFile';
import { isListedStep, simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { loadShellParser } from '../../../shell/parser';
import { escapeWarning } from '../../../simulate/escapees';
import { hookRunReport, listedStepRun, refusedHookRun } from '../../../simulate/hookRun';
import { runLaunch } from '../../../simulate/run';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { Sandbox } from '../../../simulate/sandbox/sandbox';
import { diffState, pairNote, RunState } from '../../../simulate/sandbox/state';
import { createShims, Shims, uninterceptedCalls } from '../../../simulate/shims';
import { SimulationError, SimulationHooks } from '../../../simulate/simulationHooks';
import { decode } from '../../../text/decode';
import { configName, wgSyntax } from '../config';
import { HookKey, keyEvent, WgEvent } from '../hooks';
import { HookLine, interfaceOf, substituted } from '../lines';
import { parsedLines, ParsedLine } from '../analysis';
import { scriptOf } from '../config';
import { configContext, ConfigPlaces, requestPlaces } from '../../../config/context';
import { ConfigContext } from '../../family';
import { UninterceptedCall } from '../../../protocol';
import { WgRequest, WgRun } from '../request';
import { wgSandboxNetwork } from '../sandbox';
import { addInterface, configure, deleteInterface, OwnStep, StepConfig, stepConfig, stepNotes, stepScript } from './ownSteps';

const maxConfigBytes = 4 * 1024 * 1024;

/**
 * wg-quick's execute_hooks for one line, as linux.bash runs it: in its bash, under
 * `set -e -o pipefail`, the line echoed as `[#] ...` on stderr, then `(eval "$hook")`. INTERFACE
 * and CONFIG_FILE are wg-quick's own (unexported) variables, which a hook line can read.
 */
const driver = ['set -e -o pipefail', 'INTERFACE=$1 CONFIG_FILE=$2', 'echo "[#] $3" >&2', '(eval "$4")'].join('\n');

/** One line to run: as wg-quick prints it, and as the simulation runs it (a script it runs by path replaced by the workspace copy). */
interface Planned {
  readonly line: HookLine;
  readonly printed: string;
  readonly run: string;
  /** The workspace copy of the script the line runs, when it runs one Hooksmith found. */
  readonly script?: { readonly serverPath: string; readonly file: string };
}

/** What a config gives the simulation. */
interface WgConfig {
  readonly file: string;
  readonly iface: string;
  readonly lines: readonly Planned[];
  readonly steps: StepConfig;
}

/**
 * Runs wg-quick's commands on a config's hook lines: up adds the interface, runs PreUp, configures
 * it (addresses, MTU, routes of AllowedIPs), runs PostUp; down runs PreDown, deletes the interface,
 * then runs PostDown, which finds it gone. wg-quick's own steps run in the sandbox (a tun device
 * standing in for the WireGuard link; what needs WireGuard or resolvconf is listed, not run) and are
 * listed only outside it. Each hook line runs alone, in file order; a failing line aborts the
 * command as wg-quick's `set -e` does: during up the interface is deleted again and nothing after
 * runs (a later down finds no interface); during down a failing PreDown leaves the interface up.
 */
export async function simulateWg(req: WgRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  await loadShellParser();
  const conf = readConfig(req.config, requestPlaces(req));
  const shims = req.live ? undefined : createShims();
  try {
    const { sandbox, isolation } = await isolateHooks({
      mode: req.isolation,
      live: req.live,
      limits: req.limits,
      network: wgSandboxNetwork(),
      hookFiles: conf.lines.length ? [conf.file, ...conf.lines.flatMap((l) => (l.script ? [l.script.file] : []))] : [],
      shims,
    });
    try {
      const { runs, skipped, transcript } = await runEvents(req, conf, hooks, shims, sandbox);
      return simulationReport({
        kind: 'wg-quick',
        isolation,
        runs,
        skipped,
        notes: [...transcript, ...statePair(runs)],
        live: req.live,
        ok: runs.every((r) => isListedStep(r) || (r.exitCode === 0 && !r.notRun)),
        signal: hooks.signal,
      });
    } finally {
      sandbox?.dispose();
    }
  } finally {
    shims?.dispose();
  }
}

function readConfig(file: string, places: ConfigPlaces): WgConfig {
  const abs = path.resolve(file);
  const read = readRegularFileSync(abs, maxConfigBytes);
  if (read.kind === 'missing') throw new SimulationError(`The config ${abs} does not exist.`);
  if (read.kind === 'not-regular') throw new SimulationError(notRegular(`The config ${abs}`, read.what));
  if (read.kind !== 'read')
    throw new SimulationError(`Cannot read the config ${abs}${read.kind === 'too-large' ? ': larger than 4 MB' : ''}.`);
  const text = decode(read.bytes);
  if (looksBinary(text)) throw new SimulationError(`The config ${abs} contains NUL characters: it is binary, not a wg-quick config.`);
  if (!configName.test(path.basename(abs)))
    throw new SimulationError(
      `wg-quick refuses ${path.basename(abs)}: the name must match ^[a-zA-Z0-9_=+.-]{1,15}\\.conf$ (it names the interface).`,
    );
  const parsed = parseKeyValue(text, wgSyntax);
  const iface = interfaceOf(abs);
  const ctx = configContext(abs, places);
  return {
    file: abs,
    iface,
    lines: parsedLines(parsed)
      .filter((l) => l.line.inInterface)
      .map((l) => plan(l, iface, ctx)),
    steps: stepConfig(parsed, iface),
  };
}

/**
 * A line as wg-quick prints it (%i replaced), and as it runs here: a script it runs by its server
 * path (/etc/wireguard/nat.sh) is found as the linter finds it (under the working folder, beside the
 * config) and the line runs that copy instead.
 */
function plan(l: ParsedLine, iface: string, ctx: ConfigContext): Planned {
  const printed = substituted(l.line.text, iface);
  const script = scriptOf(l);
  const located = script && !/[$`]/.test(script.path) ? ctx.locate(substituted(script.path, iface)) : undefined;
  if (!script || !located) return { line: l.line, printed, run: printed };
  const at = { start: script.start - l.line.start, end: script.end - l.line.start };
  const text = l.line.text.slice(0, at.start) + shellQuote(located.file) + l.line.text.slice(at.end);
  return {
    line: l.line,
    printed,
    run: substituted(text, iface),
    script: { serverPath: substituted(script.path, iface), file: located.file },
  };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Calls that bypass the shims: the line's own (the call of the workspace script aside) and the script's. */
function bypassing(p: Planned): UninterceptedCall[] {
  const own = uninterceptedCalls(p.run).filter((c) => c.command !== p.script?.file && c.command !== shellQuote(p.script?.file ?? ''));
  if (!p.script) return own;
  const read = readRegularFileSync(p.script.file, maxConfigBytes);
  const text = read.kind === 'read' ? decode(read.bytes) : '';
  const name = path.basename(p.script.file);
  return [...own, ...uninterceptedCalls(text).map((c) => ({ ...c, text: `${name} line ${c.line}: ${c.text}` }))];
}

/** How del_if's run after a failed up (its trap) is labelled: `up: wg-quick (delete wg0 after the failure)`. */
const afterFailure = 'after the failure';

const order: Readonly<Record<WgEvent, readonly [HookKey, HookKey]>> = { up: ['PreUp', 'PostUp'], down: ['PreDown', 'PostDown'] };

/** What a command's run has done so far: its runs, what was printed, what its own steps left out. */
interface EventRun {
  readonly event: WgEvent;
  readonly printed: string[];
  readonly notes: string[];
  failed?: WgRun;
}

async function runEvents(
  req: WgRequest,
  conf: WgConfig,
  hooks: SimulationHooks,
  shims: Shims | undefined,
  sandbox: Sandbox | undefined,
): Promise<{ runs: WgRun[]; skipped: Skipped[]; transcript: string[] }> {
  const runs: WgRun[] = [];
  const skipped: Skipped[] = [];
  const transcript: string[] = [];
  const c = conf.steps;
  let interfaceUp = false;
  let upFailed = false;
  /**
   * wg-quick's own steps, in their place among the hook lines: in the sandbox run (a run of their own, so the state diff shows
   * them); elsewhere listed as what wg-quick would do there, not run, so both modes read the same.
   */
  const own = async (e: EventRun, steps: readonly OwnStep[], what: string): Promise<void> => {
    e.printed.push(...steps.map((s) => s.printed));
    const at = { label: `${e.event}: wg-quick (${what})`, event: e.event };
    if (!sandbox) {
      if (!steps.length || hooks.signal?.aborted) return;
      hooks.onRunStart?.(runs.length, at.label, conf.file);
      runs.push({ ...listedSteps(conf, steps, at.label), event: e.event });
      return;
    }
    e.notes.push(...stepNotes(steps));
    const script = stepScript(steps);
    if (!script || hooks.signal?.aborted) return;
    const run = await runOwnSteps(req, conf, script, at, runs.length, hooks, sandbox);
    runs.push(run);
    if ((run.exitCode !== 0 || run.notRun) && !e.failed) e.failed = run;
  };
  for (const [nth, event] of req.events.entries()) {
    // In the sandbox the interface's absence is known: a down after a down finds none, as after a failed up.
    if (event === 'down' && (upFailed || (sandbox && nth > 0 && !interfaceUp))) {
      const why = upFailed ? 'the failed up deleted it' : 'the down before deleted it';
      skipped.push({
        label: event,
        reason: `not run: wg-quick down stops at once ("\`${conf.iface}' is not a WireGuard interface"): ${why}`,
      });
      continue;
    }
    if (event === 'up' && interfaceUp) {
      skipped.push({
        label: event,
        reason: `not run: wg-quick up stops at once ("\`${conf.iface}' already exists"): no down ran since the last up`,
      });
      continue;
    }
    const e: EventRun = { event, printed: [], notes: [] };
    // Only a request that starts with down: a later down after a down finds nothing, as wg-quick would.
    if (event === 'down' && sandbox && nth === 0) {
      transcript.push(await asUpLeftIt(req, conf, hooks, sandbox));
      interfaceUp = true;
    }
    if (event === 'up') await own(e, addInterface(c), `add ${conf.iface}`);
    for (const [phase, key] of order[event].entries()) {
      if (phase === 1 && !e.failed)
        await own(e, event === 'up' ? configure(c) : deleteInterface(c), `${event === 'up' ? 'configure' : 'delete'} ${conf.iface}`);
      const lines = conf.lines.filter((l) => l.line.key === key);
      for (const p of lines) {
        const label = `${event}: ${key}${lines.length > 1 ? ` ${p.line.nth}` : ''}`;
        if (e.failed || hooks.signal?.aborted) {
          skipped.push({
            label,
            reason: hooks.signal?.aborted
              ? 'not run: the simulation was cancelled'
              : `not run: wg-quick ${event} aborted at ${e.failed?.label}`,
          });
          continue;
        }
        e.printed.push(p.printed);
        const run = await runLine(req, conf, p, label, runs.length, hooks, shims, sandbox);
        runs.push(run);
        if (run.exitCode !== 0 || run.notRun) e.failed = run;
      }
    }
    const failed = e.failed;
    if (event === 'up') {
      // Its trap: del_if, whatever failed (a hook or one of its own steps).
      if (failed) await own(e, deleteInterface(c), `delete ${conf.iface} ${afterFailure}`);
      upFailed = failed !== undefined;
      interfaceUp = !failed;
    } else interfaceUp = failed !== undefined && failed.hook === 'PreDown' && interfaceUp;
    const how = sandbox
      ? `its own steps ran in the sandbox${e.notes.length ? `; stood in or not run: ${e.notes.join('; ')}` : ''}`
      : 'its own steps are not run';
    transcript.push(`wg-quick ${event} ${conf.iface}, as it prints it (${how}): ${e.printed.map((p) => `[#] ${p}`).join(' ; ')}`);
    if (event === 'down' && failed?.hook === 'PreDown')
      transcript.push(`${failed.label} failed, so wg-quick down stopped before deleting ${conf.iface}: the interface stays up.`);
  }
  if (interfaceUp && req.events[req.events.length - 1] === 'up')
    transcript.push(`${conf.iface} is left up (no down was simulated after the last up).`);
  return { runs, skipped, transcript };
}

/** wg-quick's own steps outside the sandbox: what it would do at this point, as it prints it, listed and not run. */
function listedSteps(conf: WgConfig, steps: readonly OwnStep[], label: string) {
  const printed = steps.map((s) => `[#] ${s.printed}`).join(' ; ');
  const message = `wg-quick would do this here (only the sandbox runs its own steps): ${printed}`;
  return listedStepRun({ label, hook: 'wg-quick', script: conf.file, env: {} }, message);
}

/** A down with no up before it: in the sandbox the interface is first set up as up leaves it (its own steps, no hook), outside any run. */
async function asUpLeftIt(req: WgRequest, conf: WgConfig, hooks: SimulationHooks, sandbox: Sandbox): Promise<string> {
  const script = stepScript([...addInterface(conf.steps), ...configure(conf.steps)]);
  const run = script && (await runOwnSteps(req, conf, script, { label: 'setup', event: 'down' }, -1, hooks, sandbox));
  const failed = run && run.exitCode !== 0 ? `, but that failed: ${run.stderr.trim().split('\n').pop()}` : '';
  return (
    `No up was simulated before down: ${conf.iface} was first set up in the sandbox as wg-quick up leaves it ` +
    `(its own steps, no hook)${failed}.`
  );
}

/** wg-quick's own steps, run in the sandbox as one bash run (no shims: the real ip, inside the sandbox's network namespace). */
async function runOwnSteps(
  req: WgRequest,
  conf: WgConfig,
  script: string,
  at: { label: string; event: WgEvent },
  index: number,
  hooks: SimulationHooks,
  sandbox: Sandbox,
): Promise<WgRun> {
  if (index >= 0) hooks.onRunStart?.(index, at.label, conf.file);
  const { run, state } = await runLaunch(
    { file: '/bin/bash', args: ['-c', script, 'wg-quick'], argv0: 'bash', cwd: path.dirname(conf.file) },
    {},
    undefined,
    {
      timeoutMs: req.timeoutMs ?? simulationDefaults.timeoutMs,
      graceMs: req.graceMs ?? simulationDefaults.graceMs,
      cancel: hooks.signal,
      onStderr: (t) => (index >= 0 ? hooks.onOutput?.(index, at.label, 'stderr', t) : undefined),
      onSpawn: hooks.onSpawn,
      sandbox,
    },
  );
  const base = { label: at.label, hook: 'wg-quick', script: conf.file, env: {} };
  const warnings =
    run.exitCode !== 0 && run.exitCode !== null
      ? [`wg-quick's own step failed (exit status ${run.exitCode}): wg-quick ${at.event} aborts.`]
      : [];
  const reported = hookRunReport(base, run, { warnings, commands: [], notIntercepted: [] });
  return state ? { ...reported, event: at.event, state: withoutLinkSysctls(state, conf.iface) } : { ...reported, event: at.event };
}

/**
 * The kernel's hundred net.ipv4/ipv6.conf.<iface>.* sysctls come and go with the link: in the run
 * that adds or deletes the interface they are its, not changes of their own (the link line says it).
 */
function withoutLinkSysctls(state: RunState, iface: string): RunState {
  const has = (links: readonly string[] | undefined): boolean => (links ?? []).some((l) => l.startsWith(`${iface}:`));
  // Only when the link itself came or went: a sysctl that changes on a link that stays (its MTU's) is a change of its own.
  if (has(state.before.links) === has(state.after.links)) return state;
  const own = `.conf.${iface}.`;
  return {
    ...state,
    diff: state.diff.filter((d) => !(d.kind === 'sysctls' && /^net\.ipv[46]\.conf\./.test(d.item) && d.item.includes(own))),
  };
}

async function runLine(
  req: WgRequest,
  conf: WgConfig,
  p: Planned,
  label: string,
  index: number,
  hooks: SimulationHooks,
  shims: Shims | undefined,
  sandbox: Sandbox | undefined,
): Promise<WgRun> {
  const { line } = p;
  const base = { label, hook: line.key, script: `${conf.file}:${line.entry.line + 1}`, env: {} };
  const calls = bypassing(p);
  const event = keyEvent[line.key];
  if (!req.live && !sandbox && calls.length && !req.allowUnintercepted) return { ...refusedHookRun(base, calls), event };
  hooks.onRunStart?.(index, label, conf.file);
  const { run, commands, state } = await runLaunch(
    {
      file: '/bin/bash',
      args: ['-c', driver, 'wg-quick', conf.iface, conf.file, p.printed, p.run],
      argv0: 'bash',
      cwd: path.dirname(conf.file),
    },
    {},
    shims,
    {
      timeoutMs: req.timeoutMs ?? simulationDefaults.timeoutMs,
      graceMs: req.graceMs ?? simulationDefaults.graceMs,
      cancel: hooks.signal,
      onStdout: (t) => hooks.onOutput?.(index, label, 'stdout', t),
      onStderr: (t) => hooks.onOutput?.(index, label, 'stderr', t),
      onSpawn: hooks.onSpawn,
      sandbox,
      allowUnintercepted: req.allowUnintercepted,
    },
  );
  const ran = p.script ? [`${p.script.serverPath} ran as the workspace copy ${p.script.file}.`] : [];
  const reported = hookRunReport(base, run, { warnings: [...ran, ...warnings(line, run, conf.iface)], commands, notIntercepted: calls });
  return state ? { ...reported, event, state } : { ...reported, event };
}

function warnings(line: HookLine, run: Parameters<typeof hookRunReport>[1], iface: string): string[] {
  const out: string[] = [];
  if (run.exitCode !== null && run.exitCode !== 0) {
    const event = keyEvent[line.key];
    out.push(
      `Exit status ${run.exitCode}: under set -e this aborts wg-quick ${event}` +
        (event === 'up'
          ? `: it deletes ${iface} again ([#] ip link delete dev ${iface}) and runs no hook line after this one.`
          : line.key === 'PreDown'
            ? `before it deletes ${iface}: the interface stays up, and no line after this one runs.`
            : ': the PostDown lines after this one do not run.'),
    );
  }
  if (run.leftRunning.length)
    out.push(
      `The line exited and left ${run.leftRunning.length} process(es) running: wg-quick does not wait for them ` +
        `(the simulation killed them).`,
    );
  const escaped = escapeWarning(run.escaped);
  if (escaped) out.push(escaped);
  return out;
}

/** In the sandbox: whether down put back what up changed (the first up line's state before, the last down line's after). */
function statePair(runs: readonly WgRun[]): string[] {
  const ups = runs.filter((r) => r.state && r.label.startsWith('up:'));
  const downs = runs.filter((r) => r.state && r.label.startsWith('down:'));
  const cleanUp = ups.find((r) => r.label.endsWith(`${afterFailure})`));
  const failedUp = cleanUp ? [failedUpNote(ups[0].state as RunState, cleanUp.state as RunState)] : [];
  // An up after a failed one starts afresh (the interface was deleted): the pair is that up with the last down.
  const first = cleanUp ? ups[ups.indexOf(cleanUp) + 1] : ups[0];
  const last = downs[downs.length - 1];
  if (!first?.state || !last?.state || runs.indexOf(last) < runs.indexOf(first)) return failedUp;
  return [
    ...failedUp,
    pairNote(
      { label: 'wg-quick up', before: (first.state as RunState).before },
      { label: 'wg-quick down', after: (last.state as RunState).after },
    ),
  ];
}

/**
 * After a failed up wg-quick's trap deletes the interface (and with it the routes through it), but runs no PreDown or PostDown:
 * what the lines before the failure added elsewhere stays on the machine.
 */
function failedUpNote(first: RunState, cleanUp: RunState): string {
  const changes = diffState(first.before, cleanUp.after).filter((c) => !scaffolding(c.kind, c.item));
  // A sysctl changed shows as its new value added and its old one removed: the new value says it.
  const key = (item: string) => item.split(' = ')[0];
  const set = new Set(changes.filter((c) => c.kind === 'sysctls' && c.change === 'added').map((c) => key(c.item)));
  const left = changes.filter((c) => !(c.kind === 'sysctls' && c.change === 'removed' && set.has(key(c.item))));
  if (!left.length) return "State restored: the state after the failed wg-quick up's clean-up equals the state before it.";
  const shown = left.slice(0, 12).map((c) => `${c.change === 'added' ? '+' : '-'} ${c.kind}: ${c.item}`);
  const more = left.length > shown.length ? ` and ${left.length - shown.length} more` : '';
  return (
    'State NOT restored after the failed wg-quick up: its clean-up deleted the interface (and the routes through it), but ' +
    `wg-quick runs no PreDown or PostDown after a failed up, so this stays: ${shown.join('; ')}${more}.`
  );
}

/** The lines of a ruleset dump that only frame its rules (a table, a chain's header, COMMIT, a brace): the rules say what stays. */
function scaffolding(kind: string, item: string): boolean {
  if (kind === 'iptables' || kind === 'ip6tables') return /^(\*|:|COMMIT$)/.test(item);
  return kind === 'nft' && /^(table |chain |type |\}$)/.test(item.trim());
}
