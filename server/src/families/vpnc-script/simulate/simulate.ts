import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { readRegularFileSync, refusal as notRegular } from '../../../files/readFile';
import { isDirectory } from '../../../fileKinds';
import { loadShellParser } from '../../../shell/parser';
import { hookRunReport, refusedHookRun } from '../../../simulate/hookRun';
import { runLaunch } from '../../../simulate/run';
import { escapeWarning } from '../../../simulate/escapees';
import { createShims, Shims, uninterceptedCalls, UninterceptedCall } from '../../../simulate/shims';
import { SimulationError, SimulationHooks } from '../../../simulate/simulationHooks';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { pairNotes, StateSnapshot } from '../../../simulate/sandbox/state';
import { Sandbox } from '../../../simulate/sandbox/sandbox';
import { ownedTempFolder } from '../../../simulate/tempFolder';
import { defaultEnvFor, Reason } from '../hooks';
import { VpncRequest, VpncRun } from '../request';
import { vpncSandboxNetwork } from '../sandbox';
import { holdsHookFolders, sourcedFor, SourcedFile, stockDriver } from './layout';

const maxScriptBytes = 2 * 1024 * 1024;

/** What runs for every reason: the user's script, or the stand-in for the stock script over the hook folders. */
interface Target {
  /** The file /bin/sh -c runs. */
  readonly file: string;
  readonly label: string;
  /** Hook-folder mode: the folder holding connect.d ... */
  readonly hooksDir?: string;
  /** Folders the sandbox shows besides the file's own (the hook folders). */
  readonly readOnly: readonly string[];
}

/**
 * Runs the script for each reason as openconnect does: `/bin/sh -c "<script>"`, with `reason`
 * and the documented variables, one after the other. The exit status is only logged by
 * openconnect; what the script leaves running gets SIGHUP when it exits (then SIGKILL), since a
 * simulation leaves nothing behind. The request was checked where it entered.
 */
export async function simulateVpnc(req: VpncRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  await loadShellParser();
  // Only the hook-folder mode writes a file (the stand-in for the stock script).
  const work = req.hooksDir ? ownedTempFolder('hooksmith-vpnc-') : undefined;
  try {
    const target = targetOf(req, work?.dir);
    const shims = req.live ? undefined : createShims();
    try {
      const env0 = { ...defaultEnvFor('connect'), ...req.env };
      const opened = await isolateHooks({
        mode: req.isolation,
        live: req.live,
        limits: req.limits,
        network: vpncSandboxNetwork(env0.TUNDEV),
        hookFiles: [target.file], // for the hook folders: the stand-in driver, in the work folder
        readOnly: target.readOnly,
        shims,
      });
      try {
        const { runs, skipped, sourced } = await runReasons(req, target, hooks, shims, opened.sandbox);
        return simulationReport({
          kind: 'vpnc-script',
          isolation: opened.isolation,
          runs,
          skipped,
          // The pairs compare the machine as openconnect leaves it: tun0 not there before connect, removed after disconnect.
          notes: [
            ...describe(req, target, opened.sandbox !== undefined),
            ...sourced,
            ...pairNotes(
              runs,
              (r) => r.label === 'connect',
              (r) => r.label === 'disconnect',
            ),
          ],
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
  } finally {
    work?.dispose();
  }
}

function targetOf(req: VpncRequest, work: string | undefined): Target {
  if (req.hooksDir && work) {
    const dir = path.resolve(req.hooksDir);
    if (!isDirectory(dir)) throw new SimulationError(`The hook folder ${dir} does not exist or is not a folder.`);
    if (!holdsHookFolders(dir))
      throw new SimulationError(`${dir} holds none of the stock vpnc-script's hook folders (connect.d, disconnect.d, ...).`);
    const driver = path.join(work, 'vpnc-script');
    fs.writeFileSync(driver, stockDriver(dir), { mode: 0o700 });
    return { file: driver, label: `the stock vpnc-script's hook folders in ${dir}`, hooksDir: dir, readOnly: [dir] };
  }
  const script = path.resolve(req.script ?? '');
  const read = readRegularFileSync(script, maxScriptBytes);
  if (read.kind === 'missing') throw new SimulationError(`The script ${script} does not exist.`);
  if (read.kind === 'not-regular') throw new SimulationError(notRegular(`The script ${script}`, read.what));
  if (read.kind !== 'read')
    throw new SimulationError(`Cannot read the script ${script}${read.kind === 'too-large' ? ': larger than 2 MB' : ''}.`);
  return { file: script, label: script, readOnly: [] };
}

/** What a reason runs, for the analysis of calls the shims cannot catch: the script, or the hook files it sources. */
function analysed(target: Target, reason: Reason): { files: SourcedFile[]; calls: UninterceptedCall[] } {
  const files = target.hooksDir ? sourcedFor(target.hooksDir, reason) : [{ folder: '', file: target.file }];
  const calls = files.flatMap((f) => {
    const read = readRegularFileSync(f.file, maxScriptBytes);
    if (read.kind !== 'read') return [];
    return uninterceptedCalls(read.bytes.toString('utf8')).map((c) =>
      // The report prints "line N:" itself: the text names only the hook file that line is in.
      target.hooksDir ? { ...c, text: `${f.folder}/${path.basename(f.file)}: ${c.text}` } : c,
    );
  });
  return { files, calls };
}

async function runReasons(
  req: VpncRequest,
  target: Target,
  hooks: SimulationHooks,
  shims: Shims | undefined,
  sandbox: Sandbox | undefined,
): Promise<{ runs: VpncRun[]; skipped: Skipped[]; sourced: string[] }> {
  const runs: VpncRun[] = [];
  const skipped: Skipped[] = [];
  const sourced: string[] = [];
  let deviceOpen = false;
  for (const reason of req.events) {
    if (hooks.signal?.aborted) {
      skipped.push({ label: reason, reason: 'not run: the simulation was cancelled' });
      continue;
    }
    const env = { ...defaultEnvFor(reason), ...req.env };
    // The stand-in for the stock script lives in a temporary folder: the report names the hook folders instead.
    const shown = target.hooksDir ?? target.file;
    const base = { label: reason, hook: target.hooksDir ? 'hook folders' : 'vpnc-script', script: shown, env };
    const { files, calls } = analysed(target, reason);
    if (target.hooksDir && !files.length) {
      skipped.push({
        label: reason,
        reason: `no file in the hook folders for ${reason}: the stock script sources nothing (its own work is not simulated)`,
      });
      continue;
    }
    if (target.hooksDir)
      sourced.push(`${reason} sources, in this order: ${files.map((f) => `${f.folder}/${path.basename(f.file)}`).join(', ')}.`);
    if (!req.live && !sandbox && calls.length && !req.allowUnintercepted) {
      runs.push(refusedHookRun(base, calls));
      continue;
    }
    // openconnect opens the tun device after pre-init: from the first other reason on, it is there.
    let beforeDevice: StateSnapshot | undefined;
    if (sandbox && reason !== 'pre-init' && !deviceOpen) {
      beforeDevice = await sandbox.probe(); // the last run's "after": no probe of its own
      await sandbox.openDevice();
      deviceOpen = true;
    }
    const index = runs.length;
    hooks.onRunStart?.(index, reason, shown);
    // openconnect: execl("/bin/sh", "sh", "-c", script): the script's own #! then decides.
    const { run, commands, state } = await runLaunch(
      { file: '/bin/sh', args: ['-c', shellQuote(target.file)], argv0: 'sh', cwd: path.dirname(target.file) },
      env,
      shims,
      {
        timeoutMs: req.timeoutMs ?? simulationDefaults.timeoutMs,
        graceMs: req.graceMs ?? simulationDefaults.graceMs,
        cancel: hooks.signal,
        onStdout: (t) => hooks.onOutput?.(index, reason, 'stdout', t),
        onStderr: (t) => hooks.onOutput?.(index, reason, 'stderr', t),
        onSpawn: hooks.onSpawn,
        sandbox,
        allowUnintercepted: req.allowUnintercepted,
        hangUpLeftRunning: true,
      },
    );
    const reported = hookRunReport(base, run, { warnings: warnings(reason, run), commands, notIntercepted: calls });
    // openconnect removes tun0 when the session ends: after disconnect, and after a connect that failed.
    let afterDevice: StateSnapshot | undefined;
    if (sandbox && deviceOpen && (reason === 'disconnect' || (reason === 'connect' && run.exitCode !== 0))) {
      await sandbox.closeDevice();
      deviceOpen = false;
      afterDevice = await sandbox.probe();
    }
    // The run's before / after are the machine as openconnect has it around the reason (tun0 not yet opened before the
    // first reason after pre-init, removed after disconnect), so a hook test's `state` and `restored` read what a user
    // would find; its diff stays what the script itself changed (the device's coming and going is openconnect's).
    runs.push(
      state ? { ...reported, state: { ...state, before: beforeDevice ?? state.before, after: afterDevice ?? state.after } } : reported,
    );
  }
  return { runs, skipped, sourced };
}

function warnings(reason: Reason, run: Parameters<typeof hookRunReport>[1]): string[] {
  const out: string[] = [];
  if (run.exitCode !== null && run.exitCode !== 0) {
    out.push(
      `Exit status ${run.exitCode}: openconnect only logs it ("Script '...' returned error ${run.exitCode}") and goes ` +
        `on${reason.includes('reconnect') ? ', but whatever the script had still to do for this reconnect was not done' : ''}.`,
    );
  }
  if (run.leftRunning.length) {
    out.push(
      // openconnect's tun.c, os_shutdown_tun(): SIGHUP goes to the group of a --script-tun script only; a vpnc-script
      // gets "disconnect", and nothing signals what it left running.
      `The script exited and left ${run.leftRunning.length} process(es) of its group running: under openconnect they ` +
        `go on (racing the next reason), and openconnect never stops them (it sends SIGHUP only to a --script-tun ` +
        `script's group), so they outlive the session unless the service's stop kills them. The simulation sent ` +
        `SIGHUP when the script exited (SIGKILL after the grace to what ignored it).`,
    );
  }
  const escaped = escapeWarning(run.escaped);
  if (escaped) out.push(escaped);
  if (run.survivors.length) out.push(`${run.survivors.length} process(es) survived SIGKILL: ${run.survivors.join(', ')}.`);
  return out;
}

function describe(req: VpncRequest, target: Target, sandboxed: boolean): string[] {
  const notes = [
    `Each reason runs ${target.hooksDir ? target.label : path.basename(target.file)} as openconnect does: /bin/sh ` +
      `-c "<script>", with reason and openconnect's variables (TUNDEV=tun0, two split includes, two DNS servers), one ` +
      `reason after the other.`,
  ];
  if (target.hooksDir)
    notes.push(
      'Hook folders: the files of each <hook>.d are sourced in glob order by a stand-in for the stock vpnc-script ' +
        '(its run_hooks and its dispatch); its own work (addresses, routes, DNS) is not simulated.',
    );
  notes.push(
    'openconnect does not act on the exit status: it logs a non-zero one. The simulation counts it as not ok, since ' +
      'the script failed at what it was run for.',
  );
  if (req.events.includes('pre-init'))
    notes.push(
      "pre-init runs before the tun device opens: TUNDEV is not set for it (the session's other variables are), and " +
        'in the sandbox the device appears only after it.',
    );
  if (sandboxed && req.events.some((e) => e === 'connect' || e === 'disconnect'))
    notes.push(
      'In the sandbox, the tun device is removed after disconnect (and after a connect that failed), as openconnect ' +
        'removes it when the session ends: what a script set on the device itself (MTU, link state) goes with it.',
    );
  return notes;
}

const shellQuote = (s: string): string => (/^[\w./+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
