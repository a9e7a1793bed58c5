import * as fs from 'node:fs';
import * as path from 'node:path';
import { configContext, ConfigPlaces, requestPlaces } from '../../../config/context';
import { readConfigForSimulation } from '../../../config/readForSimulation';
import { parseKeyValue } from '../../../config/keyValue';
import { readRegularFileSync } from '../../../files/readFile';
import { simulationDefaults, SimulationReport, Skipped } from '../../../protocol';
import { loadShellParser } from '../../../shell/parser';
import { escapeWarning } from '../../../simulate/escapees';
import { hookRunReport, refusedHookRun } from '../../../simulate/hookRun';
import { preflight } from '../../../simulate/preflight';
import { nothingRan, runLaunch } from '../../../simulate/run';
import { isolateHooks } from '../../../simulate/sandbox/isolation';
import { simulationReport } from '../../../simulate/sandbox/report';
import { Launch, Sandbox } from '../../../simulate/sandbox/sandbox';
import { createShims, Shims, uninterceptedCalls } from '../../../simulate/shims';
import { SimulationError, SimulationHooks } from '../../../simulate/simulationHooks';
import { ownedTempFolder } from '../../../simulate/tempFolder';
import { decode } from '../../../text/decode';
import { OpenvpnFacts, openvpnFacts, openvpnSyntax, runsAsDroppedUser, scriptDirectivesOf } from '../config';
import { downRootCommand } from '../downRoot';
import { fatalEvents, OpenvpnEvent, refusedByScriptSecurity } from '../hooks';
import { OpenvpnRequest, OpenvpnRun } from '../request';
import { openvpnSandboxNetwork } from '../sandbox';
import { deliveredEnv, eventEnv, openvpnArgs, SessionShape, stepEnv } from './env';
import { ChainCertificate, chainCertificates } from './certs';
import { isSkipped, Step, stepsOf } from './steps';

const maxConfigBytes = 4 * 1024 * 1024;
const maxScriptBytes = 2 * 1024 * 1024;
/** The uid and gid a dropped `user nobody` / `group nogroup` runs as. */
const nobody = '65534';

interface Command {
  readonly program: string;
  readonly file?: string;
  readonly args: readonly string[];
}

interface Conf {
  readonly file: string;
  readonly facts: OpenvpnFacts;
  /** Per directive: the program (found in the workspace, or not) and the user's own words after it. */
  readonly commands: Partial<Record<OpenvpnEvent, Command>>;
  /** The down-root plugin's command: OpenVPN calls the plugin at down before it runs the down directive. */
  readonly downRoot?: Command;
}

interface Planned extends Step {
  readonly file: string;
  readonly userArgs: readonly string[];
  readonly detail: string;
}

/**
 * Runs the events as OpenVPN runs its scripts: the directive's command split as OpenVPN splits it
 * and exec'd with no shell, OpenVPN's own arguments appended after the user's, its environment
 * (script_type, script_context=init, the tunnel's or the client's variables); up and down fatal when
 * they fail; client-disconnect only after a client-connect that succeeded; down as the dropped user
 * when the config sets `user` (in the sandbox: uid 65534, so what needs root fails as for real).
 */
export async function simulateOpenvpn(req: OpenvpnRequest, hooks: SimulationHooks = {}): Promise<SimulationReport> {
  await loadShellParser();
  const conf = req.config ? readConf(req.config, requestPlaces(req)) : undefined;
  const facts = conf?.facts;
  const skipped: Skipped[] = [];
  const planned = req.events.flatMap((event) =>
    stepsOf(event, req, facts).flatMap((step): Planned[] => {
      if (isSkipped(step)) {
        skipped.push(step);
        return [];
      }
      const plugin = downRootStep(step, req, conf);
      const chosen = scriptFor(step.event, req, conf);
      if ('skipped' in chosen) {
        if (!plugin) skipped.push({ label: step.event, reason: chosen.skipped });
        return plugin ? [plugin] : [];
      }
      return [...(plugin ? [plugin] : []), { ...step, ...chosen }];
    }),
  );
  const tls = facts?.tlsExportCert ? planned.find((p) => p.event === 'tls-verify') : undefined;
  const work =
    tls || planned.some((p) => p.event === 'client-connect' || p.event === 'auth-user-pass-verify')
      ? ownedTempFolder('hooksmith-openvpn-')
      : undefined;
  // OpenVPN makes its temporary files after the privilege drop, as that user: in the sandbox uid 65534 must reach them.
  if (work && (facts?.user || facts?.group)) fs.chmodSync(work.dir, 0o711);
  const shims = req.live || !planned.length ? undefined : createShims();
  try {
    const env0 = eventEnv(planned[0]?.event ?? 'up', { facts, config: conf?.file });
    const { sandbox, isolation } = await isolateHooks({
      mode: req.isolation,
      live: req.live,
      limits: req.limits,
      network: openvpnSandboxNetwork({ ...env0, ...req.env }),
      hookFiles: planned.map((p) => p.file),
      readOnly: req.config ? [path.dirname(path.resolve(req.config))] : [],
      writable: work ? [work.dir] : [],
      shims,
    });
    try {
      const certs = tls?.chain && work ? await chainCertificates(work.dir, tls.chain) : undefined;
      if (certs) for (const c of certs) handOver(c.file, facts);
      const runs = await runEvents(req, planned, { facts, conf, hooks, shims, sandbox, work: work?.dir, skipped, certs });
      return simulationReport({
        kind: 'openvpn',
        isolation,
        runs,
        skipped,
        notes: describe(req, conf, sandbox !== undefined),
        pairs: { isUp: (r) => r.event === 'up', isDown: (r) => r.event === 'down', nameOf: (r) => r.event },
        live: req.live,
        ok: runs.length > 0 && runs.every((r) => !r.notRun && !r.timedOut && !r.signal && !fatal(r)),
        signal: hooks.signal,
      });
    } finally {
      sandbox?.dispose();
    }
  } finally {
    shims?.dispose();
    work?.dispose();
  }
}

/** A run whose status OpenVPN acts on by stopping or refusing: up and down fatal, the deciding scripts' refusals are answers. */
function fatal(r: OpenvpnRun): boolean {
  return fatalEvents.has(r.event) && r.exitCode !== 0;
}

interface RunContext {
  readonly facts: OpenvpnFacts | undefined;
  readonly conf: Conf | undefined;
  readonly hooks: SimulationHooks;
  readonly shims: Shims | undefined;
  readonly sandbox: Sandbox | undefined;
  readonly work: string | undefined;
  readonly skipped: Skipped[];
  /** tls-export-cert's files, by depth. */
  readonly certs?: readonly ChainCertificate[];
}

/** The scripts OpenVPN runs for one connecting peer; the rest (up, route-up, route-pre-down, down) belong to the tunnel. */
const peerEvents: ReadonlySet<OpenvpnEvent> = new Set<OpenvpnEvent>([
  'tls-verify',
  'auth-user-pass-verify',
  'client-connect',
  'learn-address',
  'client-disconnect',
]);

async function runEvents(req: OpenvpnRequest, planned: readonly Planned[], ctx: RunContext): Promise<OpenvpnRun[]> {
  const runs: OpenvpnRun[] = [];
  let stopped: string | undefined;
  /** Why the peer never got in: on a server only that client's scripts stop; a client has no tunnel without it. */
  let peerRefused: string | undefined;
  let connectRefused = false;
  for (const p of planned) {
    if (ctx.hooks.signal?.aborted) {
      ctx.skipped.push({ label: p.event, reason: 'not run: the simulation was cancelled' });
      continue;
    }
    const why = stopped ?? (peerRefused && (!ctx.facts?.server || peerEvents.has(p.event)) ? peerRefused : undefined);
    if (why) {
      ctx.skipped.push({ label: p.event, reason: `not run: ${why}` });
      continue;
    }
    if (p.event === 'client-disconnect' && connectRefused) {
      ctx.skipped.push({
        label: p.event,
        reason:
          'not run: client-connect refused the client, and OpenVPN runs client-disconnect only after a client-connect that succeeded.',
      });
      continue;
    }
    const run = await runOne(req, p, ctx, runs.length);
    runs.push(run);
    if (fatalEvents.has(p.event) && run.notRun?.reason === 'unintercepted')
      stopped =
        `${p.event} was not run in this simulation (see its report), and OpenVPN exits when ${p.event} fails: ` +
        'what follows depends on it.';
    else if (fatal(run))
      stopped =
        `${p.event} failed, and a failing ${p.event} script is fatal: OpenVPN exits ` +
        '("WARNING: Failed running command (--up/--down)").';
    if (p.event === 'tls-verify' && run.exitCode !== 0)
      peerRefused =
        `tls-verify refused the certificate at depth ${p.depth ?? 0}: the TLS handshake failed` +
        `${p.depth ? ', so OpenVPN verifies no lower depth,' : ''} and the peer never connects.`;
    if (p.event === 'auth-user-pass-verify' && run.exitCode !== 0 && run.exitCode !== 2)
      peerRefused =
        'auth-user-pass-verify rejected the user: OpenVPN sends AUTH_FAILED and the client never connects, so none of ' +
        'its later scripts run.';
    if (p.event === 'client-connect' && run.exitCode !== 0) connectRefused = true;
  }
  return runs;
}

async function runOne(req: OpenvpnRequest, p: Planned, ctx: RunContext, index: number): Promise<OpenvpnRun> {
  const tempFile = ctx.work ? tempFileFor(p.event, ctx.work, ctx.facts) : undefined;
  const deferredFile = tempFile && p.event === 'client-connect' ? deferredFileIn(path.dirname(tempFile)) : undefined;
  const shape = { facts: ctx.facts, config: ctx.conf?.file, tempFile, deferredFile };
  const full = { ...(p.plugin ? pluginEnv(shape) : stepEnv(p, shape)), ...certEnv(p, ctx.certs), ...req.env };
  const argv = [...p.userArgs, ...(p.plugin ? [] : openvpnArgs(p, full, shape))];
  const env = { ...deliveredEnv(p, full), ...req.env };
  const dropped = p.plugin ? undefined : droppedUser(p, ctx.facts);
  const base = { label: p.event, hook: p.event, script: p.file, env };
  const variant = p.op ?? (p.depth !== undefined ? `depth ${p.depth}` : p.restart ? 'restart' : undefined);
  const extra = { event: p.event, argv, ...(dropped ? { runAs: dropped } : {}), ...(variant ? { variant } : {}) };
  const checked = preflight(p.file, process.platform, req.live === true);
  if (!checked.ok) {
    return { ...base, ...nothingRan(checked), warnings: [], ...extra };
  }
  const text = readRegularFileSync(p.file, maxScriptBytes);
  const calls = text.kind === 'read' ? uninterceptedCalls(decode(text.bytes)) : [];
  if (!req.live && !ctx.sandbox && calls.length && !req.allowUnintercepted) return { ...refusedHookRun(base, calls), ...extra };
  ctx.hooks.onRunStart?.(index, p.event, p.file);
  // In the sandbox the dropped user is a real unprivileged uid, which owns nothing of root's: not the tunnel, not /etc.
  const box = ctx.sandbox;
  const sandbox = dropped && box ? { ...box, wrap: (l: Launch) => box.wrap({ ...l, asUser: Number(nobody) }) } : box;
  const { run, commands, state } = await runLaunch(
    { file: p.file, args: argv, argv0: path.basename(p.file), cwd: ctx.conf ? path.dirname(ctx.conf.file) : path.dirname(p.file) },
    env,
    ctx.shims,
    {
      timeoutMs: req.timeoutMs ?? simulationDefaults.timeoutMs,
      graceMs: req.graceMs ?? simulationDefaults.graceMs,
      cancel: ctx.hooks.signal,
      onStdout: (t) => ctx.hooks.onOutput?.(index, p.event, 'stdout', t),
      onStderr: (t) => ctx.hooks.onOutput?.(index, p.event, 'stderr', t),
      onSpawn: ctx.hooks.onSpawn,
      sandbox,
      allowUnintercepted: req.allowUnintercepted,
    },
  );
  const warnings = warningsFor(p.event, run.exitCode, dropped, ctx.sandbox !== undefined);
  const deferred = run.exitCode === 0 && deferredFile !== undefined && firstChar(deferredFile) === '2';
  if (deferred)
    warnings.push(
      'client-connect wrote 2 to $client_connect_deferred_file: OpenVPN defers the client until that file holds 1 ' +
        '(then it reads $client_connect_config_file) or 0 (refused).',
    );
  else if (p.event === 'client-connect' && tempFile) warnings.push(...clientConfig(tempFile));
  if (run.leftRunning.length)
    warnings.push(`The script exited but left ${run.leftRunning.length} process(es) of its group running; they were killed.`);
  const escaped = escapeWarning(run.escaped);
  if (escaped) warnings.push(escaped);
  const reported = hookRunReport(base, run, { warnings, commands, notIntercepted: calls });
  const label = deferred ? 'client-connect: deferred' : labelOf(p, run.exitCode, run.signal);
  return { ...reported, label, ...extra, ...(state ? { state } : {}) };
}

/**
 * What down-root's helper hands its command: the environment of the plugin's up call (down-root.c forks it there), which
 * init.c run_up_down makes before it sets script_type; the command's own words only.
 */
function pluginEnv(shape: SessionShape): Record<string, string> {
  const env = eventEnv('up', shape);
  delete env.script_type;
  return env;
}

/** The user a step runs as when OpenVPN has dropped its privileges before it. */
function droppedUser(step: Step, facts: OpenvpnFacts | undefined): string | undefined {
  return facts && runsAsDroppedUser(step.event, facts, step.restart) ? (facts.user ?? facts.group) : undefined;
}

function tempFileFor(event: OpenvpnEvent, dir: string, facts: OpenvpnFacts | undefined): string | undefined {
  if (event === 'client-connect') {
    const file = path.join(dir, 'openvpn_cc_simulated.tmp');
    fs.writeFileSync(file, '', { mode: 0o666 });
    return handOver(file, facts);
  }
  if (event === 'auth-user-pass-verify' && facts?.authMethod === 'via-file') {
    const file = path.join(dir, 'openvpn_up_simulated.tmp');
    fs.writeFileSync(file, 'jdoe\ns3cret\n', { mode: 0o600 });
    return handOver(file, facts);
  }
  return undefined;
}

/** client-connect's deferred-status file, empty, writable by the dropped user as OpenVPN's temporary files are. */
function deferredFileIn(dir: string): string {
  const file = path.join(dir, 'openvpn_ccr_simulated.tmp');
  fs.writeFileSync(file, '');
  fs.chmodSync(file, 0o666); // the umask is not to narrow it
  return file;
}

/** The first character of a file the script may have written (multi.c ccs_test_deferred_ret_file reads only that). */
function firstChar(file: string): string | undefined {
  const read = readRegularFileSync(file, 1);
  const bytes = read.kind === 'read' ? read.bytes : read.kind === 'too-large' ? read.head : undefined;
  return bytes?.length ? String.fromCharCode(bytes[0]) : undefined;
}

/** A file OpenVPN creates after dropping its privileges belongs to that user: as real root, give it to uid 65534. */
function handOver(file: string, facts: OpenvpnFacts | undefined): string {
  if ((facts?.user || facts?.group) && process.getuid?.() === 0) fs.chownSync(file, Number(nobody), Number(nobody));
  return file;
}

/** tls-verify with tls-export-cert: peer_cert names this depth's certificate, and the fingerprints are the real ones. */
function certEnv(step: Step, certs: readonly ChainCertificate[] | undefined): Record<string, string> {
  if (step.event !== 'tls-verify' || !certs || step.depth === undefined || !certs[step.depth]) return {};
  const env: Record<string, string> = { peer_cert: certs[step.depth].file };
  for (let d = certs.length - 1; d >= step.depth; d--) {
    env[`tls_digest_${d}`] = certs[d].sha1;
    env[`tls_digest_sha256_${d}`] = certs[d].sha256;
  }
  return env;
}

/** What client-connect wrote into its file: the directives OpenVPN would apply to this client. */
function clientConfig(file: string): string[] {
  const read = readRegularFileSync(file, 64 * 1024);
  if (read.kind !== 'read') return [];
  const lines = decode(read.bytes)
    .split('\n')
    .filter((l) => l.trim());
  return lines.length ? [`client-connect wrote ${lines.length} directive(s) for this client: ${lines.slice(0, 10).join('; ')}.`] : [];
}

function labelOf(step: Step, exitCode: number | null, signal: string | null): string {
  const failed = exitCode !== 0;
  const why = signal ? `killed by ${signal}` : exitCode === null ? 'not started' : `exit ${exitCode}`;
  switch (step.event) {
    case 'up':
    case 'down':
    case 'route-pre-down': {
      const name = step.restart
        ? `${step.event} (restart, script_context=${step.context})`
        : step.plugin
          ? `${step.event} (down-root plugin)`
          : step.event;
      return failed ? `${name}: FATAL (${why}): OpenVPN stops` : name;
    }
    case 'client-connect':
      return failed ? `client-connect: client refused (${why})` : 'client-connect: client accepted';
    case 'auth-user-pass-verify':
      return exitCode === 0
        ? 'auth-user-pass-verify: user accepted'
        : exitCode === 2
          ? 'auth-user-pass-verify: deferred'
          : `auth-user-pass-verify: user rejected (${why})`;
    case 'tls-verify':
      return failed
        ? `tls-verify depth ${step.depth}: TLS handshake refused (${why})`
        : `tls-verify depth ${step.depth}: certificate accepted`;
    case 'learn-address': {
      const op = step.op ?? 'add';
      if (!failed) return `learn-address ${op}`;
      return op === 'delete' ? `learn-address delete (${why}, logged by OpenVPN)` : `learn-address ${op}: address rejected (${why})`;
    }
    default:
      return failed ? `${step.event} (${why}, logged by OpenVPN)` : step.event;
  }
}

function warningsFor(event: OpenvpnEvent, exitCode: number | null, dropped: string | undefined, sandboxed: boolean): string[] {
  const out: string[] = [];
  if (fatalEvents.has(event) && exitCode !== 0 && exitCode !== null)
    out.push(`${event} exited ${exitCode}: OpenVPN treats a failing ${event} script as fatal and exits.`);
  if (exitCode === 127) out.push('Exit 127 is "command not found": something the script runs is missing.');
  if (dropped)
    out.push(
      sandboxed
        ? `Run as uid ${nobody}, as OpenVPN runs ${event} after dropping its privileges to ${dropped}: what needs root ` +
            "(routes, firewall rules, writing root's files such as /etc/resolv.conf) is refused here as it will be for real " +
            '(its output and exit status show whether the script tried).' +
            (exitCode === 127 ? ` Exit 127: ${dropped} may not be able to read the script or enter its folder, as for real.` : '')
        : `OpenVPN runs ${event} as ${dropped} (after the privilege drop); without a sandbox the simulation cannot change user, ` +
            'so commands that need root were not refused here as they will be for real. Run with --isolation sandbox to see it.',
    );
  return out;
}

function scriptFor(event: OpenvpnEvent, req: OpenvpnRequest, conf: Conf | undefined): Omit<Planned, keyof Step> | { skipped: string } {
  if (req.script) {
    const file = path.resolve(req.script);
    if (!fs.existsSync(file)) throw new SimulationError(`The script ${file} does not exist.`);
    return { file, userArgs: [], detail: `${path.basename(file)} was chosen to run for every event.` };
  }
  const named = conf?.commands[event];
  const name = path.basename(conf?.file ?? 'the config');
  if (!named) return { skipped: `${name} has no ${event} directive: OpenVPN runs nothing for it.` };
  if (conf && conf.facts.scriptSecurity < 2)
    return {
      skipped:
        `not run: ${name} has script-security ${conf.facts.scriptSecurity}, and OpenVPN refuses user scripts below 2. ` +
        refusedByScriptSecurity(event),
    };
  if (!named.file)
    return {
      skipped: `${event} runs ${named.program}, which is not in the workspace (looked beside the config, then at its path): not run.`,
    };
  return { file: named.file, userArgs: named.args, detail: `${event} in ${name} runs ${named.program}, found at ${named.file}.` };
}

/** At down (not a restart's), init.c run_up_down calls the plugins first: down-root's helper runs its command as root. */
function downRootStep(step: Step, req: OpenvpnRequest, conf: Conf | undefined): Planned | undefined {
  const command = conf?.downRoot;
  if (!conf || !command?.file || req.script || step.event !== 'down' || step.restart || conf.facts.scriptSecurity < 2) return undefined;
  return {
    ...step,
    plugin: true,
    file: command.file,
    userArgs: command.args,
    detail: `The down-root plugin in ${path.basename(conf.file)} runs ${command.program}, found at ${command.file}.`,
  };
}

function readConf(file: string, places: ConfigPlaces): Conf {
  const text = readConfigForSimulation(file, maxConfigBytes, 'an OpenVPN config');
  const parsed = parseKeyValue(text, openvpnSyntax);
  const ctx = configContext(file, places);
  const commands: Conf['commands'] = {};
  for (const d of scriptDirectivesOf(parsed)) {
    const program = d.words[0].text;
    commands[d.event] = { program, file: ctx.locate(program)?.file, args: d.words.slice(1).map((w) => w.text) };
  }
  const plugin = downRootCommand(parsed)?.words;
  const downRoot = plugin && { program: plugin[0].text, file: ctx.locate(plugin[0].text)?.file, args: plugin.slice(1).map((w) => w.text) };
  return { file: path.resolve(file), facts: openvpnFacts(parsed), commands, ...(downRoot ? { downRoot } : {}) };
}

function describe(req: OpenvpnRequest, conf: Conf | undefined, sandboxed: boolean): string[] {
  const notes: string[] = [];
  if (conf) notes.push(`Config: ${req.config}.`);
  notes.push(
    "Each script is exec'd as OpenVPN runs it: the directive's command split as OpenVPN splits it (quotes and " +
      "backslashes, no shell), OpenVPN's own arguments after the user's, script_type and script_context=init in the environment.",
  );
  if (req.events.includes('auth-user-pass-verify'))
    notes.push(
      'auth-user-pass-verify runs with script_type=user-pass-verify, as the OpenVPN source sends it (the man page says ' +
        'auth-user-pass-verify): a script should accept both.',
    );
  const f = conf?.facts;
  if (conf?.downRoot?.file && req.events.includes('down'))
    notes.push(
      `The down-root plugin runs ${conf.downRoot.program} at down, before any down directive: as root, with its own words ` +
        'only and the environment of up, which has no script_type yet.',
    );
  if (f && (f.user || f.group) && !f.downRoot && req.events.includes('down'))
    notes.push(
      `${path.basename(conf.file)} drops privileges to ${f.user ?? f.group}: down runs as that user` +
        `${sandboxed ? ` (uid ${nobody} in the sandbox)` : ''}${f.downPre ? ' (down-pre only moves it before the device closes)' : ''}.`,
    );
  return notes;
}
