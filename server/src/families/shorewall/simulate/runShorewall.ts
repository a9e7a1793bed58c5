import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shorewallEnv, shorewallHooks } from '../hooks';
import { isParseFailure, loadShellParser, parseBudget, withShellTree } from '../../../shell/parser';
import { commands } from '../../../shell/walk';
import { HookRunBase, hookRunReport, refusedHookRun } from '../../../simulate/hookRun';
import { ShorewallCommand, ShorewallRequest, ShorewallRun } from '../request';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { runLaunch } from '../../../simulate/run';
import { callsBypassingShims, createShims, Shims, uncheckedScript, UninterceptedCall } from '../../../simulate/shims';
import { append } from '../../../append';
import { checkConfdir, ConfSettings, present, readHook, readShorewallConf } from './confdir';
import { compileTimeHooks, interfaceHooks, runTimeOrder } from './order';
import { endingOf, verdict } from './outcome';
import { wrapperScript } from './wrapper';
import { SimulationHooks } from '../../../simulate/simulationHooks';
import { shorewallSandboxNetwork } from '../sandbox';
import { isolate } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { Sandbox } from '../../../simulate/sandbox/sandbox';
import { pairNote } from '../../../simulate/sandbox/state';
import { ownedTempFolder } from '../../../simulate/tempFolder';

/** Cancellation and live callbacks, as for every simulation. */
export type ShorewallOptions = SimulationHooks;

// /usr/share/shorewall and /var/lib/shorewall, from the family's variable table.
const fixedDirs = Object.fromEntries(shorewallEnv.filter((v) => v.name === 'SHAREDIR' || v.name === 'VARDIR').map((v) => [v.name, v.mock]));
const compileReason = 'compile-time Perl, run by the rules compiler: not simulated';

interface Step {
  readonly hook: string;
  readonly file: string;
  readonly body: Buffer;
}

interface Plan {
  readonly steps: Step[];
  readonly skipped: Skipped[];
  readonly notes: string[];
  readonly libPrivate?: { readonly file: string; readonly text: string };
}

interface Library {
  readonly file: string;
  readonly exits: boolean;
}

/**
 * Runs the run-time hooks `shorewall <command>` would run, in its order, each as the function body
 * Shorewall pastes it into (lib.private loaded first, COMMAND, CONFDIR, SHAREDIR, VARDIR set).
 * Throws an Error with a printable message for a bad request or a missing confdir.
 */
export async function simulateShorewall(req: ShorewallRequest, opts: ShorewallOptions = {}): Promise<SimulationReport> {
  const confdir = checkConfdir(req.confdir);
  const conf = readShorewallConf(confdir);
  const commands = [req.command, ...(req.then ? [req.then] : [])];
  const plans = commands.map((command) => ({ req: { ...req, command }, plan: planRuns({ ...req, command }, confdir, conf) }));
  const planNotes = [...new Set(plans.flatMap((p) => p.plan.notes))];
  const shell = shellFor(conf, planNotes);
  await loadShellParser();
  const libPrivate = plans[0].plan.libPrivate;
  const library = libPrivate && readLibrary(libPrivate.file, libPrivate.text, planNotes);
  const shims = req.live ? undefined : createShims({ run_iptables: 'iptables' });
  const workFolder = ownedTempFolder('hooksmith-shorewall-');
  const work = workFolder.dir;
  const runs: ShorewallRun[] = [];
  const skipped = plans.flatMap((p) => p.plan.skipped);
  let ok = true;
  const opened = await isolate({
    mode: req.isolation,
    live: req.live,
    limits: req.limits,
    home: os.homedir(),
    network: shorewallSandboxNetwork(interfaceOf(req)),
    readOnly: [confdir, ...(shims?.shown ?? []).filter((folder) => !shims?.perRun.includes(folder))],
    perRun: shims?.perRun,
    writable: [work],
  }).catch((e: unknown) => {
    shims?.dispose();
    workFolder.dispose();
    throw e;
  });
  const sandbox: Sandbox | undefined = opened.sandbox;
  const pair: string[] = [];
  try {
    const before = await sandbox?.probe();
    for (const { req: one, plan } of plans) {
      let endedBy: string | undefined; // each command runs its own generated script
      for (const [i, step] of plan.steps.entries()) {
        const label = labelOf(one, step.hook);
        if (opts.signal?.aborted) {
          skipped.push({ label, reason: 'not run: the simulation was cancelled' });
          continue;
        }
        if (endedBy) {
          skipped.push({ label, reason: `not run: ${endedBy} ended the firewall script` });
          continue;
        }
        const later = plan.steps.slice(i + 1).map((s) => s.hook);
        const { run, failed, endsScript } = await runStep(
          one,
          step,
          { confdir, shell, work, shims, label, later, index: runs.length, library, sandbox },
          opts,
        );
        runs.push(run);
        if (failed) ok = false;
        if (endsScript) endedBy = step.hook;
      }
    }
    if (sandbox && before && req.then && isUpDownPair(req.command, req.then) && !opts.signal?.aborted) {
      pair.push(pairNote({ label: `shorewall ${req.command}`, before }, { label: `shorewall ${req.then}`, after: await sandbox.probe() }));
    }
  } finally {
    sandbox?.dispose();
    shims?.dispose();
    workFolder.dispose();
  }
  return simulationReport({
    kind: 'shorewall',
    isolation: opened.isolation,
    runs,
    skipped,
    notes: [...planNotes, ...pair],
    live: req.live,
    ok,
    signal: opts.signal,
  });
}

/** A command that sets the firewall up, then one that takes it down: the second should leave the state the first found. */
function isUpDownPair(up: ShorewallCommand, down: ShorewallCommand): boolean {
  return ['start', 'restart', 'reload', 'restore'].includes(up) && ['stop', 'clear'].includes(down);
}

/** The hooks to run (those present), what is skipped and why, and the facts for the notes. */
function planRuns(req: ShorewallRequest, confdir: string, conf: ConfSettings): Plan {
  const steps: Step[] = [];
  const skipped: Skipped[] = [];
  const notes: string[] = [];
  const found = present(
    confdir,
    shorewallHooks.map((h) => h.name),
  );
  notes.push(found.length ? `Hooks in ${confdir}: ${found.join(', ')}.` : `No Shorewall hooks in ${confdir}: nothing to run.`);
  notes.push(`shorewall ${req.command} runs ${runTimeOrder[req.command].join(', ')} in this order; those present are simulated.`);
  for (const hook of runTimeOrder[req.command]) {
    const read = readHook(confdir, hook);
    if (!read) continue;
    if (!read.ok) skipped.push({ label: labelOf(req, hook), reason: read.reason });
    else if (hook === 'tcclear' && !conf.clearTc)
      skipped.push({ label: labelOf(req, hook), reason: 'CLEAR_TC=No in shorewall.conf: Shorewall does not run tcclear.' });
    else steps.push({ hook, file: read.file, body: read.bytes });
  }
  for (const hook of compileTimeHooks(req.command).filter((h) => found.includes(h))) {
    const removed = shorewallHooks.find((h) => h.name === hook)?.removedIn;
    skipped.push({ label: labelOf(req, hook), reason: removed ? `${compileReason} (removed in Shorewall ${removed})` : compileReason });
  }
  if (req.command === 'refresh' && found.includes('init'))
    notes.push(
      'refresh does not run init: the refresh hook runs in its place (the table of the extension-scripts page also ' +
        'lists init under refresh).',
    );
  if (steps.some((s) => interfaceHooks.has(s.hook)))
    notes.push(
      `isusable and findgw get $1 = ${interfaceOf(req)}; Shorewall calls them once per optional interface (isusable) ` +
        `or per gateway to detect (findgw).`,
    );
  const lib = readHook(confdir, 'lib.private');
  if (lib && !lib.ok) skipped.push({ label: labelOf(req, 'lib.private'), reason: `${lib.reason} Hooks calling its functions fail here.` });
  if (lib?.ok) notes.push('lib.private is loaded before each hook, as Shorewall pastes it into the generated script ahead of the hooks.');
  notes.push(
    req.live
      ? 'Live run: run_iptables and every command the hooks call run for real.'
      : `Dry run: iptables, ip6tables, ip, nft, logger and the other shims record their arguments and succeed; ` +
          `run_iptables records its arguments and returns 0. Calls by absolute path run for real (listed per run).`,
  );
  return { steps, skipped, notes, ...(lib?.ok ? { libPrivate: { file: lib.file, text: lib.bytes.toString('utf8') } } : {}) };
}

/** SHOREWALL_SHELL from shorewall.conf when it is there and runnable, else /bin/sh. */
function shellFor(conf: ConfSettings, notes: string[]): string {
  const shell = conf.shell ?? '/bin/sh';
  try {
    fs.accessSync(shell, fs.constants.X_OK);
  } catch {
    notes.push(`SHOREWALL_SHELL=${shell} in shorewall.conf is not an executable here: the hooks run in /bin/sh instead.`);
    return '/bin/sh';
  }
  notes.push(
    `Each hook runs in ${shell} as the body of run_<hook>_exit(), as in Shorewall's generated script: return works, ` +
      `exit ends that script; line numbers in the shell's messages are the hook's own.`,
  );
  return shell;
}

/** lib.private's calls by absolute path go into the notes (they belong to no one run). */
function readLibrary(file: string, text: string, notes: string[]): Library {
  const calls = analyse(text);
  append(
    notes,
    calls.notIntercepted.map(
      (c) =>
        `lib.private line ${c.line} calls ${c.command} by absolute path: no shim can stand in for it, so it runs for real when called.`,
    ),
  );
  return { file, exits: calls.writesExit };
}

/** $1 of isusable and findgw. */
function interfaceOf(req: ShorewallRequest): string {
  return req.interface ?? 'eth0';
}

function labelOf(req: ShorewallRequest, hook: string): string {
  return `shorewall ${req.command}: ${hook}${interfaceHooks.has(hook) ? ` ${interfaceOf(req)}` : ''}`;
}

interface StepContext {
  readonly confdir: string;
  readonly shell: string;
  readonly work: string;
  readonly shims: Shims | undefined;
  readonly label: string;
  readonly later: readonly string[];
  readonly index: number;
  readonly library: Library | undefined;
  readonly sandbox: Sandbox | undefined;
}

async function runStep(
  req: ShorewallRequest,
  step: Step,
  ctx: StepContext,
  opts: ShorewallOptions,
): Promise<{ run: ShorewallRun; failed: boolean; endsScript: boolean }> {
  const dir = fs.mkdtempSync(path.join(ctx.work, 'run-'));
  const wrapper = path.join(dir, step.hook); // sh names the hook in its messages
  fs.writeFileSync(
    wrapper,
    wrapperScript({
      hook: step.hook,
      body: step.body,
      libPrivate: ctx.library?.file,
      runIptablesShim: ctx.shims && path.join(ctx.shims.dir, 'run_iptables'),
    }),
    { mode: 0o600 },
  );
  const text = step.body.toString('utf8');
  await loadShellParser(); // a fresh one if the previous hook made the parser fault
  const { notIntercepted, writesExit, callsRunIptables } = analyse(text);
  const env = hookVariables(req, ctx.confdir);
  if (!req.live && !ctx.sandbox && notIntercepted.length && !req.allowUnintercepted) {
    return { run: refusedHookRun(baseOf(step, ctx.label, env), notIntercepted), failed: true, endsScript: false };
  }
  const iface = interfaceOf(req);
  opts.onRunStart?.(ctx.index, ctx.label, step.file);
  const timeoutMs = req.timeoutMs ?? simulationDefaults.timeoutMs;
  const graceMs = req.graceMs ?? simulationDefaults.graceMs;
  // The shell runs the wrapper, as Shorewall's generated script runs the hook: the one runner of every family.
  const {
    run,
    commands: recorded,
    state,
  } = await runLaunch(
    { file: ctx.shell, args: [wrapper, ...(interfaceHooks.has(step.hook) ? [iface] : [])], cwd: ctx.confdir },
    env,
    ctx.shims,
    {
      timeoutMs,
      graceMs,
      cancel: opts.signal,
      nextEventGraceMs: graceMs,
      onStdout: (t: string) => opts.onOutput?.(ctx.index, ctx.label, 'stdout', t),
      onStderr: (t: string) => opts.onOutput?.(ctx.index, ctx.label, 'stderr', t),
      onSpawn: opts.onSpawn,
      sandbox: ctx.sandbox,
    },
  );
  const ending = endingOf(run, new Set(fs.readdirSync(dir)));
  const { warnings, failed, endsScript } = verdict({
    command: req.command,
    hook: step.hook,
    iface,
    later: ctx.later,
    ending,
    run,
    stdout: run.stdout.text,
    commands: recorded,
    exitIn: writesExit ? step.hook : ctx.library?.exits ? 'lib.private' : undefined,
    callsRunIptables,
    live: !!req.live,
    timeoutMs,
  });
  const reported = hookRunReport(baseOf(step, ctx.label, env), run, { warnings, commands: recorded, notIntercepted });
  return { run: state ? { ...reported, state } : reported, failed, endsScript };
}

/** The variables the generated script gives its hooks, then the request's own on top. */
function hookVariables(req: ShorewallRequest, confdir: string): Record<string, string> {
  return { COMMAND: req.command, CONFDIR: confdir, ...fixedDirs, ...req.env };
}

/** What one parse of a hook tells: its calls that bypass the shims, and whether it calls exit or run_iptables. */
function analyse(text: string): { notIntercepted: UninterceptedCall[]; writesExit: boolean; callsRunIptables: boolean } {
  try {
    return withShellTree(
      text,
      (tree) => {
        const names = commands(tree).map((c) => c.name);
        return {
          notIntercepted: callsBypassingShims(tree, text),
          writesExit: names.includes('exit'),
          callsRunIptables: names.includes('run_iptables'),
        };
      },
      parseBudget(text),
    );
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    return { notIntercepted: [uncheckedScript(text, e)], writesExit: false, callsRunIptables: false }; // the report says it went unchecked
  }
}

const baseOf = (step: Step, label: string, env: Record<string, string>): HookRunBase => ({
  label,
  hook: step.hook,
  script: step.file,
  env,
});
