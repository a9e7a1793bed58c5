import { ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxLimits } from '../../protocol';
import type { EscapedProcess } from '../escapees';
import { chooseTool, Isolation, namespaceAdvice, SandboxTool, toolPath } from './detect';
import { shimLogVar } from '../shims';
import { PidsCgroup, pidsCgroup } from './pidsCgroup';
import { holderName, holderScript, runInitName, syscallNumbers, tunIoctls, waiterScript } from './scripts';
import { parseState, StateSnapshot } from './state';

/** The tunnel a family's hooks expect, built in the sandbox from the mocked environment. */
export interface SandboxNetwork {
  /** tun0, or the interface a Shorewall hook is given; none: loopback only. */
  readonly device?: string;
  /** Addresses with their prefix, put on the device: 10.0.0.42/24. */
  readonly addresses: readonly string[];
  /** Routes through the device, added once it is up (a server's route to its client's IPv6 prefix): fda9::1b/64. */
  readonly routes?: readonly string[];
  /**
   * The runner opens the device only after the first hooks ran (openconnect runs pre-init before it
   * opens tun0): the sandbox starts without it, and openDevice() adds it, addresses and all.
   */
  readonly opensLater?: boolean;
}

export interface SandboxSpec {
  readonly network: SandboxNetwork;
  /** Host folders the hooks read (their own folder, the profile's): bound read-only at the same path. */
  readonly readOnly: readonly string[];
  /**
   * Host folders the run itself writes (Shorewall's run folder, OpenVPN's temporary files), this simulation's own: bound
   * writable when the sandbox is handed out, as perRun, so that a spare started for another run's folders serves.
   */
  readonly writable: readonly string[];
  /**
   * Host folders shown read-only, as readOnly, that are this simulation's own (its record channel's): bound when the
   * sandbox is handed out, so that a spare started earlier for the same folders serves (see keepSpareSandbox).
   */
  readonly perRun?: readonly string[];
  /** The hooks' HOME: a private, empty folder at this path. */
  readonly home: string;
  readonly limits: SandboxLimits;
  /** Force a tool (tests run both); default: bwrap where installed, else unshare. */
  readonly tool?: SandboxTool;
}

/** How runGroup spawns a process; the sandbox rewrites it to start inside its namespaces. */
export interface Launch {
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Run as this unprivileged uid (and gid), as a daemon that dropped its privileges runs it
   * (OpenVPN's `user nobody`): it must not own root's files. As real root: this machine's uid, outside
   * the sandbox's user namespace (whose only uid is root's), with no new privileges (no set-uid way
   * back); otherwise a nested user namespace mapping it to the unprivileged user Hooksmith runs as.
   */
  readonly asUser?: number;
  /**
   * Inside a sandbox, the hook is started only once this resolves, and not at all if it rejects: the run's "before"
   * state is read while the waiter starts (see waiterScript). The runner hands it over as a pipe at fd 3.
   */
  readonly gate?: Promise<unknown>;
  /**
   * The process already started for this launch (a waiter started with the sandbox, see prestartWaiter), which runGroup
   * takes instead of spawning one: it has been handed the launch, and its fd 3 carries the gate.
   */
  readonly started?: ChildProcess;
}

export const defaultLimits: SandboxLimits = { memoryMB: 1024, processes: 256, fileSizeMB: 64, cpuSeconds: 60 };

/** A started sandbox: hooks run in it one after another (or overlapping), sharing its state. */
export interface Sandbox {
  readonly isolation: Isolation;
  /** The spawn that runs `launch` inside, under the limits. */
  wrap(launch: Launch): Launch;
  /**
   * The state the hooks can change, read from inside by the sandbox's holder (not the hook). Taken
   * with no run on and no run since the last one, the last snapshot is the answer.
   */
  probe(): Promise<StateSnapshot>;
  /**
   * A run begins; the function it returns ends it and kills what the hook left running (setsid,
   * double forks, env -i): the run's own PID namespace, found by the host pid of the run's spawn
   * (`waiter`), while other runs go on; and, when no other run is still going, every process of the
   * sandbox's PID namespace but the holder. It resolves once they are dead (at most a second later).
   */
  enter(): (waiter?: number) => Promise<EscapedProcess[]>;
  /** The message, once, when the process cap was hit since the last call (everything inside was killed). */
  limitHit(): string | undefined;
  /** The host's pid of the sandbox's process `pid` (as the sandbox's /proc shows it), if it lives. */
  hostPid(pid: number): number | undefined;
  /** Whether a process is the sandbox's own (a run's init), not the hook's: an escape scan passes it by. */
  ownProcess(pid: number): boolean;
  /** Opens the network's device now, when it opens later (see SandboxNetwork.opensLater); nothing once it is there. */
  openDevice(): Promise<void>;
  /**
   * Removes a device that opens later (its addresses and routes go with it), as openconnect removes
   * tun0 when the session ends; the next openDevice() opens it afresh. A device already gone is fine.
   */
  closeDevice(): Promise<void>;
  /** Ends the sandbox: its namespaces, and everything in them, go. */
  dispose(): void;
}

export class SandboxError extends Error {}

const readyLine = 'hooksmith-sandbox-ready';
const startTimeoutMs = 20_000;
/** The scratch tmpfs (overlay upper layers, /tmp, HOME) is mounted here inside the sandbox's own mount namespace: nothing on the host. */
const scratchMountPoint = '/dev/shm';

/** A sandbox started and ready, not yet handed out: its holder waits for the claim (see setupScript). */
interface Prepared {
  /** What it was made for (see spareKey): a spare serves only a request with the same. */
  readonly key: string;
  readonly holder: ChildProcess;
  readonly cap?: PidsCgroup;
  /** Resolves once the holder is ready, with the folders it could not show and its pid on this machine. */
  readonly started: Promise<{ skipped: string[]; hostPid: number }>;
  /** The waiter started with it for its first run (see prestartWaiter), until a run takes it. */
  readonly ahead: { waiter?: ChildProcess };
}

/**
 * Whether a spare is kept (see keepSpareSandbox), and the spare: a sandbox started ahead, while nothing waits for it,
 * for the next request with the same tool, network, folders, HOME and limits.
 */
let sparesWanted = false;
let spare: Prepared | undefined;

/**
 * From now on each sandbox, once disposed, is followed by a spare started in the background for the next request like
 * it, so that request waits only for the claim (binding its record channel's folder), not for the start-up. For a
 * process that runs many simulations (the language server, hook tests); a single CLI simulation gains nothing from it.
 * The spare dies with this process, as any sandbox does. Off: the spare is ended.
 */
export function keepSpareSandbox(on: boolean): void {
  sparesWanted = on;
  if (!on) endSpare();
}

/** Whether a spare is kept and ready, once its start-up has ended (the bench and the tests wait for it, as a user's pause does). */
export async function spareReady(): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 0)); // after the timer a disposal set to start the spare
  const ahead = spare;
  if (!ahead) return false;
  return ahead.started.then(
    () => ahead.holder.exitCode === null && ahead.holder.signalCode === null,
    () => false,
  );
}

function endSpare(): void {
  if (spare) end(spare);
  spare = undefined;
}

function end(prepared: Prepared): void {
  prepared.holder.kill('SIGKILL'); // its parent-death signal takes the namespaces (and all in them) along
  endWaiter(takeWaiter(prepared.ahead));
  prepared.cap?.dispose();
}

process.once('exit', endSpare);

/** What makes two requests' sandboxes the same before the claim: everything but the folders bound at the claim. */
function spareKey(spec: SandboxSpec, tool: SandboxTool): string {
  return JSON.stringify([tool, spec.network, spec.readOnly, spec.home, spec.limits]);
}

/** Starts a sandbox: fresh user, mount, PID, IPC, UTS and network namespaces that die with this process. */
export async function openSandbox(spec: SandboxSpec): Promise<Sandbox> {
  const choice = chooseTool(spec.tool);
  if (!choice.ok) throw new SandboxError(`The sandbox cannot start: ${choice.reason}.`);
  const key = spareKey(spec, choice.tool);
  const ahead = spare?.key === key ? spare : undefined;
  if (ahead) {
    spare = undefined;
    hold(ahead, true);
    // A spare that could not start, or has ended since: a fresh start says why, if it fails too.
    const served = await handOut(ahead, spec, choice).catch(() => undefined);
    if (served) return served;
  }
  return handOut(prepare(spec, choice.tool, key), spec, choice, true);
}

/** The prepared sandbox once ready and claimed; once disposed, a spare like it is started when spares are kept. */
async function handOut(
  prepared: Prepared,
  spec: SandboxSpec,
  choice: { tool: SandboxTool; reason: string },
  fresh = false,
): Promise<Sandbox> {
  // A sandbox started for this request is claimed at once: its claim's process binds the folders while the holder
  // sets up the rest, and the holder is handed out as soon as it is ready. A spare is claimed once ready.
  const claimed = fresh ? claim(prepared.holder, spec.writable, spec.perRun ?? []) : undefined;
  claimed?.catch(() => undefined); // a sandbox that cannot start says why below
  // A claim that failed ends the holder, maybe before it was found: the claim's reason is the one to give.
  const started = await prepared.started.catch(async (e: unknown) => {
    await claimed;
    throw e;
  });
  try {
    await (claimed ?? claim(prepared.holder, spec.writable, spec.perRun ?? []));
  } catch (e) {
    end(prepared);
    throw e;
  }
  // After the report has gone out (a spawn costs this process milliseconds).
  const another = (): void => {
    if (!sparesWanted || spare?.key === prepared.key) return;
    endSpare();
    spare = prepare(spec, choice.tool, prepared.key);
    hold(spare, false);
    spare.started.catch(() => undefined); // the request it serves starts afresh and says why
  };
  return sandboxOf(prepared, started, spec, choice, () => void setTimeout(another, 0).unref());
}

/**
 * Spawns the sandbox's tool and set-up, and the waiter of its first run (see prestartWaiter); `started` resolves once its
 * holder is ready for the claim, its first look at the network taken (see first_look).
 */
function prepare(spec: SandboxSpec, tool: SandboxTool, key: string): Prepared {
  const cap = pidsCgroup(spec.limits.processes);
  const events = cap ? openQuietly(cap.events) : undefined; // the holder's fd 3 (see pidsCgroup)
  let holder: ChildProcess;
  try {
    holder = spawn(tool === 'bwrap' ? 'bwrap' : 'setpriv', outerArgs(tool), {
      env: {
        ...setupEnv(spec),
        ...(cap && events !== undefined ? { SBX_PIDS_EVENTS: '3', SBX_PIDS_FULL: String(cap.full) } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe', events ?? 'ignore'],
    });
  } finally {
    if (events !== undefined) fs.closeSync(events);
  }
  holder.stdin?.on('error', () => undefined); // a holder gone mid-probe: the probe reports it
  const ahead = { waiter: prestartWaiter(cap?.procs) };
  const started = (async () => {
    try {
      const skipped = await ready(holder);
      const hostPid = await holderPid(holder);
      if (hostPid === undefined) throw new SandboxError('The sandbox started but its holder process was not found.');
      return { skipped, hostPid };
    } catch (e) {
      holder.kill('SIGKILL');
      endWaiter(takeWaiter(ahead));
      cap?.dispose();
      throw e;
    }
  })();
  return { key, holder, cap, started, ahead };
}

/** A spare keeps this process from exiting no more than a timer would; a claimed sandbox does, as before. */
function hold({ holder, ahead }: Prepared, on: boolean): void {
  for (const child of [holder, ahead.waiter]) {
    for (const handle of [child, ...(child?.stdio ?? [])] as ({ ref(): void; unref(): void } | null | undefined)[]) {
      if (on) handle?.ref();
      else handle?.unref();
    }
  }
}

/**
 * Hands the sandbox out: its set-up process binds the folders that are this simulation's own (the writable ones, then
 * the record channel's read-only), and lets the holder answer; the hooks' mount namespace, made then, locks them all.
 * Rejects with the reason when a folder cannot be shown or the sandbox has ended.
 */
function claim(holder: ChildProcess, writable: readonly string[], perRun: readonly string[]): Promise<void> {
  const bad = [...writable, ...perRun].find((p) => !path.isAbsolute(p) || p.includes('\n'));
  if (bad !== undefined) return Promise.reject(new SandboxError(`The sandbox cannot show ${JSON.stringify(bad)}.`));
  return new Promise((resolve, reject) => {
    let out = '';
    const done = (error?: string): void => {
      holder.stdout?.off('data', onData);
      holder.off('exit', onExit);
      if (error === undefined) resolve();
      else reject(new SandboxError(`The sandbox could not be handed out: ${error}.`));
    };
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const failed = /^hooksmith-sandbox-claim-failed (.*)$/m.exec(out);
      if (failed) done(failed[1]);
      else if (/^hooksmith-sandbox-claimed$/m.test(out)) done();
    };
    const onExit = (): void => done('it ended before it was handed out');
    holder.stdout?.on('data', onData);
    holder.once('exit', onExit);
    holder.stdin?.write([...writable.map((p) => `rw ${p}`), ...perRun.map((p) => `ro ${p}`), 'go', ''].join('\n'));
  });
}

/** The sandbox of a prepared and claimed holder. `disposed`: called once, as it ends. */
function sandboxOf(
  prepared: Prepared,
  { skipped, hostPid }: { skipped: string[]; hostPid: number },
  spec: SandboxSpec,
  choice: { tool: SandboxTool; reason: string },
  disposed: () => void,
): Sandbox {
  const { holder, cap } = prepared;
  const nsLink = fs.readlinkSync(`/proc/${hostPid}/ns/pid`);
  const skippedNote = skipped.length ? ` (not visible inside: ${skipped.join(', ')})` : '';
  const isolation: Isolation = {
    mode: 'sandbox',
    tool: choice.tool,
    reason:
      `${choice.reason}; hooks ran in throwaway user, mount, PID, IPC, UTS and network namespaces, the root file ` +
      `system seen through a copy-on-write overlay${skippedNote}, with a private /run; each run in a PID namespace of ` +
      `its own, with its own read-only /proc (the network's sysctls writable), where what it leaves running is killed ` +
      `when it ends; ${capNote(spec.limits.processes, cap !== undefined)}`,
  };
  let ended = false;
  let active = 0;
  // The state changes only while a run is on: a snapshot taken with none on, and no run since,
  // stands for the next run's "before" (a run's "after" is the next one's "before"). The fresh
  // sandbox's is asked for at once, while the caller gets on with its own work.
  let runs = 0;
  const channel = holderChannel(holder);
  const ask = channel.ask;
  let last: { runs: number; snapshot: Promise<StateSnapshot> } | undefined = { runs, snapshot: ask() };
  last.snapshot.catch(() => undefined); // a failure is reported to whoever awaits it
  let deviceLater = spec.network.opensLater === true && spec.network.device !== undefined;
  const enter = (): ((waiter?: number) => Promise<EscapedProcess[]>) => {
    active++;
    runs++;
    return async (waiter) => {
      runs++;
      if (--active === 0) return dead(killNamespace(nsLink, hostPid));
      return waiter === undefined ? [] : dead(killNamespace(nsLink, hostPid, waiter));
    };
  };
  return {
    isolation,
    wrap: (launch) => {
      const wrapped = wrapLaunch(launch, hostPid, spec.limits, cap?.procs);
      // The waiter started with the sandbox takes the run, when it can: one with a gate, run as the sandbox's root.
      const waiter = launch.gate && launch.asUser === undefined ? takeWaiter(prepared.ahead) : undefined;
      if (!waiter) return wrapped;
      const blob = waiterArguments(launch, hostPid, spec.limits).join('\0');
      (waiter.stdio[3] as Writable).write(`${Buffer.byteLength(blob)}\n${blob}`);
      return { ...wrapped, started: waiter };
    },
    probe: () => {
      if (last && last.runs === runs && active === 0) return last.snapshot;
      const snapshot = ask();
      last = active === 0 ? { runs, snapshot } : undefined;
      return snapshot;
    },
    enter,
    openDevice: async () => {
      if (!deviceLater) return;
      deviceLater = false;
      // As a run of its own: the next probe is taken afresh, so the device is in the next hook's "before", not its changes.
      const leave = enter();
      try {
        await runInside(wrapLaunch(deviceLaunch, hostPid, spec.limits), deviceBatch(spec.network)); // our own command: not in the cgroup
      } finally {
        await leave();
      }
    },
    closeDevice: async () => {
      if (deviceLater || spec.network.opensLater !== true || spec.network.device === undefined) return;
      deviceLater = true;
      const leave = enter(); // as openDevice: the next probe sees the device gone
      try {
        // A hook that deleted the device itself did openconnect's work already: `link del` failing then is no error.
        await runInside(wrapLaunch(deviceLaunch, hostPid, spec.limits), `link del ${deviceName(spec.network)}\n`).catch(() => undefined);
      } finally {
        await leave();
      }
    },
    hostPid: hostPidMap(hostPid),
    ownProcess: (pid) => isRunInit(pid, hostPid),
    limitHit: () => {
      const n = channel.guardFired();
      return n === undefined
        ? undefined
        : `hooksmith: the hook had ${n} processes running at once, over the sandbox's cap of ${spec.limits.processes} ` +
            `(hooksmith.simulate.limits.processes): every process in the sandbox was killed.`;
    },
    dispose: () => {
      if (ended) return;
      ended = true;
      // The holder too, not only through the tool's death (a chain of parent-death signals, each a wake-up): its output,
      // which this process waits for before it may exit, closes as soon as it and the tool are gone.
      if (holder.exitCode === null && holder.signalCode === null) kill(hostPid);
      end(prepared);
      disposed();
    },
  };
}

/** Which process cap applied: the kernel's (a pids cgroup as root, RLIMIT_NPROC otherwise), or only the holder's count. */
function capNote(processes: number, cgroup: boolean): string {
  const by =
    cgroup || process.getuid?.() !== 0
      ? `held by the kernel (${cgroup ? "a pids cgroup's pids.max" : 'RLIMIT_NPROC'})`
      : 'held by a count every 10 ms only (real root is exempt from RLIMIT_NPROC, and no pids cgroup could be made)';
  return `the process cap of ${processes} ${by}`;
}

/** The outer tool: new namespaces, the setup as root in them, and death when this process dies. */
function outerArgs(tool: SandboxTool): string[] {
  const setup = ['perl', '-e', holderScript];
  if (tool === 'bwrap') {
    return [
      '--unshare-user',
      '--uid',
      '0',
      '--gid',
      '0',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--die-with-parent',
      '--cap-add',
      'ALL',
      '--bind',
      '/',
      '/',
      '--proc',
      '/proc',
      '--dev-bind',
      '/dev',
      '/dev',
      '--',
      ...setup,
    ];
  }
  return [
    '--pdeathsig',
    'KILL',
    '--',
    'unshare',
    '--user',
    '--map-root-user',
    '--mount',
    '--propagation',
    'private',
    '--pid',
    '--fork',
    '--kill-child=SIGKILL',
    '--mount-proc',
    '--ipc',
    '--uts',
    '--',
    ...setup,
  ];
}

function setupEnv(spec: SandboxSpec): NodeJS.ProcessEnv {
  return {
    PATH: toolPath,
    SBX_SYSCALLS: syscallNumbers[process.arch].join(' '),
    SBX_IOCTLS: tunIoctls[process.arch],
    SBX_SCRATCH: scratchMountPoint,
    SBX_SCRATCH_MB: String(Math.max(64, spec.limits.fileSizeMB * 4)),
    SBX_HOME: spec.home,
    SBX_READONLY: spec.readOnly.join('\n'),
    SBX_DEVICE: spec.network.opensLater ? '' : (spec.network.device ?? ''),
    SBX_ADDRESSES: spec.network.addresses.join(' '),
    SBX_ROUTES: (spec.network.routes ?? []).join(' '),
    SBX_PROCESSES: String(spec.limits.processes),
  };
}

const deviceLaunch: Launch = { file: 'ip', args: ['-batch', '-'], argv0: 'ip', cwd: '/', env: { PATH: toolPath } };

/** The ip commands that open the device as the holder's set-up does (the names and addresses are checked there too). */
function deviceBatch(network: SandboxNetwork): string {
  const dev = deviceName(network);
  const routes = network.routes ?? [];
  const bad = [...network.addresses, ...routes].find((a) => !/^[0-9A-Fa-f.:]+(\/[0-9]+)?$/.test(a));
  if (bad) throw new SandboxError(`bad address ${bad}`);
  return [
    `tuntap add dev ${dev} mode tun`,
    ...network.addresses.map((a) => `addr add ${a} dev ${dev}`),
    `link set ${dev} up`,
    ...routes.map((r) => `route add ${r} dev ${dev}`),
    '',
  ].join('\n');
}

function deviceName(network: SandboxNetwork): string {
  const dev = network.device ?? '';
  if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(dev)) throw new SandboxError(`bad device name ${dev}`);
  return dev;
}

/** Runs a launch inside the sandbox with `input` on its standard input; rejects with its error output when it fails. */
function runInside(launch: Launch, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.file, launch.args, {
      argv0: launch.argv0,
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => void (err = (err + chunk.toString()).slice(-2000)));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
    child.once('error', (e) => reject(new SandboxError(`Opening the tunnel device in the sandbox failed: ${e.message}.`)));
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new SandboxError(`Opening the tunnel device in the sandbox failed: ${err.trim() || `exit ${code}`}.`)),
    );
  });
}

/** Resolves when the holder says it is ready (with the folders it could not show), rejects with its error otherwise. */
function ready(holder: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      holder.kill('SIGKILL');
      reject(new SandboxError(`The sandbox could not start: ${why.trim() || 'no message'}. ${namespaceAdvice(why)}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${startTimeoutMs / 1000} s`), startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes(`${readyLine}\n`)) {
        clearTimeout(timer);
        holder.stdout?.off('data', onData);
        resolve(
          out
            .split('\n')
            .filter((l) => l.startsWith('skipped '))
            .map((l) => l.slice('skipped '.length)),
        );
      }
    };
    holder.stdout?.on('data', onData);
    holder.stderr?.on('data', (chunk: Buffer) => void (err = (err + chunk.toString()).slice(-4000)));
    holder.once('error', (e) => fail(e.message));
    holder.once('exit', () => {
      if (!out.includes(readyLine)) setTimeout(() => fail(err), 20); // let stderr drain
    });
  });
}

/**
 * The process holding the namespaces: the set-up's Perl process, which stays as the holder (see holderScript) and
 * takes the holder's name before it says it is ready (its child that waits for the claim has a name of its own).
 */
async function holderPid(tool: ChildProcess): Promise<number | undefined> {
  const toolPid = tool.pid as number;
  for (let attempt = 0; attempt < 400 && tool.exitCode === null && tool.signalCode === null; attempt++) {
    const queue = [toolPid];
    while (queue.length) {
      const pid = queue.shift() as number;
      if (pid !== toolPid && comm(pid) === holderName.slice(0, 15)) return pid;
      queue.push(...childrenOf(pid));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}

function openQuietly(file: string): number | undefined {
  try {
    return fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * How a launch becomes `uid` (see Launch.asUser): the argv put before the hook's file (run by the waiter inside), or none
 * when the waiter drops to it itself, outside the user namespaces. As real root the sandbox's user namespace maps root
 * alone, so a uid of its own there is a nested namespace's, which still owns root's files (a write to /etc succeeds):
 * the waiter stays this machine's root instead, in every other namespace, and becomes the uid for good before it runs
 * the hook (no groups, no capabilities, no new privileges), as a daemon's privilege drop does. It runs no tool of the
 * sandbox's as root meanwhile: a hook may have replaced any of them there.
 */
function dropTo(uid: number): { outside: boolean; argv: string[] } {
  if (!Number.isInteger(uid) || uid <= 0 || uid > 0xfffffffe) throw new SandboxError(`bad uid ${uid}`);
  if (process.getuid?.() === 0) return { outside: true, argv: [] };
  return { outside: false, argv: ['unshare', '--user', `--map-user=${uid}`, `--map-group=${uid}`, '--'] };
}

/**
 * The shims' record channel (a FIFO only its owner may write), writable for a uid dropped outside the user namespace:
 * owned by it, root's group still writing (the sandbox's root, this machine's root there, has no power over a file of a
 * uid its user namespace does not map). The folders above it keep everyone else on this machine out.
 */
function shareChannel(file: string | undefined, uid: number): void {
  if (!file) return;
  try {
    const st = fs.lstatSync(file);
    if (!st.isFIFO() || st.uid === uid) return;
    fs.chownSync(file, uid, 0);
    fs.chmodSync(file, 0o620);
  } catch {
    // no channel: the shims say so in the run's output
  }
}

/**
 * The hook's spawn, inside: SIGTERM is ignored by what stands between the runner and the hook (the
 * runner signals the whole process group, and only the hook may act on it), and set back to its
 * default for the hook by the waiter, which enters the holder's namespaces, sets the limits and
 * forks the hook into the PID namespace.
 */
function wrapLaunch(launch: Launch, pid: number, limits: SandboxLimits, cgroupProcs?: string): Launch {
  const drop = launch.asUser === undefined ? undefined : dropTo(launch.asUser);
  if (drop?.outside) shareChannel(launch.env[shimLogVar], launch.asUser as number);
  return {
    file: 'env',
    argv0: 'env',
    cwd: '/',
    gate: launch.gate,
    // SBX_OUTSIDE_USERNS: the waiter enters every namespace but the user namespaces (see dropTo).
    env: waiterEnv(cgroupProcs, {
      ...(launch.gate ? { SBX_GATE: '3' } : {}),
      ...(drop?.outside ? { SBX_OUTSIDE_USERNS: String(launch.asUser) } : drop ? { SBX_DROPPED: '1' } : {}),
    }),
    args: [...waiterStart, ...waiterArguments(launch, pid, limits, drop?.argv)],
  };
}

/** The waiter's program, run with SIGTERM ignored (see wrapLaunch). */
const waiterStart = ['--ignore-signal=TERM', 'perl', '-e', waiterScript];

/**
 * The waiter's environment: SBX_CGROUP_PROCS, the cgroup it moves itself into before it forks anything (see pidsCgroup);
 * SBX_GATE, the run starts once fd 3 says so (see Launch.gate).
 */
function waiterEnv(cgroupProcs: string | undefined, more: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: toolPath,
    SBX_SYSCALLS: syscallNumbers[process.arch].join(' '),
    ...(cgroupProcs ? { SBX_CGROUP_PROCS: cgroupProcs } : {}),
    ...more,
  };
}

/** What the waiter is told of a launch (see waiterScript): the holder, the limits, the folder, the environment, the argv. */
function waiterArguments(launch: Launch, pid: number, limits: SandboxLimits, dropArgv: readonly string[] = []): string[] {
  const env = Object.entries(launch.env)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) => `${k}=${v}`);
  const mb = 1024 * 1024;
  return [
    String(pid),
    String(limits.memoryMB * mb),
    String(limits.fileSizeMB * mb),
    String(limits.cpuSeconds),
    String(limits.processes),
    launch.cwd,
    String(env.length),
    ...env,
    // The waiter execs argv0 with file: a launch dropped in a nested user namespace execs unshare, which then runs the hook's file.
    ...(dropArgv.length ? [dropArgv[0], ...dropArgv, launch.file, ...launch.args] : [launch.argv0, launch.file, ...launch.args]),
  ];
}

/**
 * A waiter started with the sandbox, before anything runs: its own start and its move into the sandbox's pids cgroup
 * (which waits for the kernel's grace period, 5 to 20 ms here) are over by the time the first run needs it, instead of
 * being the first thing that run waits for. It waits on fd 3 for the launch (see waiterScript, SBX_LATE); the end of fd 3
 * ends it (the sandbox was disposed unused, or this process went). Undefined where it cannot be spawned.
 */
function prestartWaiter(cgroupProcs: string | undefined): ChildProcess | undefined {
  try {
    // Perl itself: the waiter ignores SIGTERM first thing (see waiterScript), and no run signals it before then.
    const waiter = spawn('perl', ['-e', waiterScript], {
      argv0: 'perl',
      cwd: '/',
      env: waiterEnv(cgroupProcs, { SBX_GATE: '3', SBX_LATE: '1' }),
      detached: true, // the run's process group, as runGroup's own spawn makes it
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    waiter.on('error', () => undefined); // not taken then (see takeWaiter)
    waiter.stdio[3]?.on('error', () => undefined);
    return waiter;
  } catch {
    return undefined;
  }
}

/** The waiter started ahead, now out of `ahead`, if it still waits (a run takes it); undefined otherwise. */
function takeWaiter(ahead: { waiter?: ChildProcess }): ChildProcess | undefined {
  const waiter = ahead.waiter;
  ahead.waiter = undefined;
  if (waiter?.pid !== undefined && waiter.exitCode === null && waiter.signalCode === null) return waiter;
  return undefined;
}

/** Ends a waiter nothing took: its group (the cgroup move's child too). */
function endWaiter(waiter: ChildProcess | undefined): void {
  if (!waiter?.pid) return;
  try {
    process.kill(-waiter.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/**
 * The holder's side of the conversation: state probes, one at a time (an answer ends with a line
 * of its own), and, between answers, a line when its process guard killed everything inside. A
 * holder that is gone fails the probe waiting for it.
 */
function holderChannel(holder: ChildProcess): { ask: () => Promise<StateSnapshot>; guardFired: () => number | undefined } {
  const end = '@@hooksmith end\n';
  const waiting: { resolve: (s: StateSnapshot) => void; reject: (e: Error) => void }[] = [];
  let out = '';
  let guard: number | undefined;
  holder.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (let m = /^@@hooksmith guard (\d+)\n/.exec(out); m; m = /^@@hooksmith guard (\d+)\n/.exec(out)) {
      guard = Math.max(guard ?? 0, Number(m[1]));
      out = out.slice(m[0].length);
    }
    // Two runs' probes can be answered in one chunk: each answer found resolves its own waiter.
    for (let at = out.indexOf(end); at >= 0 && (at === 0 || out[at - 1] === '\n'); at = out.indexOf(end)) {
      const answer = out.slice(0, at);
      out = out.slice(at + end.length);
      waiting.shift()?.resolve(parseState(answer));
    }
  });
  holder.once('exit', () => {
    for (const w of waiting.splice(0))
      w.reject(new SandboxError("Reading the sandbox's state failed: the sandbox's holder process has ended (did a hook kill it?)."));
  });
  return {
    ask: () =>
      new Promise((resolve, reject) => {
        if (holder.exitCode !== null || holder.signalCode !== null) {
          reject(new SandboxError("Reading the sandbox's state failed: the sandbox's holder process has ended (did a hook kill it?)."));
          return;
        }
        waiting.push({ resolve, reject });
        holder.stdin?.write('probe\n');
      }),
    guardFired: () => {
      const n = guard;
      guard = undefined;
      return n;
    },
  };
}

/**
 * Every process of the sandbox's PID namespace but the holder (and the tool's own init above it), and of the runs' own
 * namespaces nested in it (see waiterScript): SIGKILLed. A run's init (a child of the sandbox's init once the run's
 * waiter is gone) is the sandbox's own and not reported; its death takes the rest of its namespace along. With `waiter`
 * (the host pid of a run's spawn), only that run's own namespace: the init named for it (see runInit), and its processes.
 */
function killNamespace(nsLink: string, holder: number, waiter?: number): EscapedProcess[] {
  const keep = new Set([holder, ...ancestors(holder)]);
  const inits = childrenOf(sandboxInit(holder)).filter(
    (pid) => pid !== holder && pidNamespace(pid) !== nsLink && (waiter === undefined || isRunInitOf(pid, waiter)),
  );
  const runLinks = new Set(inits.map(pidNamespace));
  const found: EscapedProcess[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!/^\d+$/.test(name) || keep.has(pid) || inits.includes(pid)) continue;
    const link = pidNamespace(pid);
    if (link === undefined || !(runLinks.has(link) || (waiter === undefined && link === nsLink))) continue;
    found.push({ pid, command: commandLine(pid), foundBy: 'namespace' });
    kill(pid);
  }
  inits.forEach(kill); // after the others are listed: an init's death takes its namespace's processes along at once
  return found;
}

/**
 * The killed processes, once each is dead: gone, or a zombie (its memory and files released). A
 * SIGKILL takes effect when the process next runs, which on a busy machine can be after the run's
 * report would otherwise have been made.
 */
async function dead(killed: EscapedProcess[]): Promise<EscapedProcess[]> {
  const started = new Map(killed.map((p) => [p.pid, statFields(p.pid)?.[19]]));
  const isDead = (pid: number): boolean => {
    const fields = statFields(pid);
    return !fields || fields[0] === 'Z' || fields[0] === 'X' || fields[19] !== started.get(pid); // gone, or its pid taken again
  };
  for (let waited = 0; waited < 1000 && killed.some((p) => !isDead(p.pid)); waited += 2) await new Promise((r) => setTimeout(r, 2));
  return killed;
}

/** A run's init: pid 1 of a namespace one level below the holder's (a hook's own namespaces are deeper). */
function isRunInit(pid: number, holder: number): boolean {
  const ids = nsPids(pid);
  return ids !== undefined && ids.length === (nsPids(holder)?.length ?? 0) + 1 && ids[ids.length - 1] === 1;
}

/** Whether a process is the init of the run whose spawn has host pid `waiter`: its name says so (the hook cannot rename it). */
function isRunInitOf(pid: number, waiter: number): boolean {
  return safeRead(`/proc/${pid}/cmdline`).replace(/\0+$/, '') === `${runInitName} ${waiter}`;
}

/** The sandbox's init: the holder under unshare, bubblewrap's own above it. */
function sandboxInit(holder: number): number {
  const ids = nsPids(holder);
  return ids?.[ids.length - 1] === 1 ? holder : Number(statFields(holder)?.[1]);
}

function pidNamespace(pid: number): string | undefined {
  return safeReadLink(`/proc/${pid}/ns/pid`);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/** A process's pids, from this process's PID namespace down to its own (NSpid). */
function nsPids(pid: number): number[] | undefined {
  return /^NSpid:\s*(.*)$/m
    .exec(safeRead(`/proc/${pid}/status`))?.[1]
    .trim()
    .split(/\s+/)
    .map(Number);
}

/** The fields of /proc/PID/stat after the command: state, ppid, ... (starttime is [19]). */
function statFields(pid: number, proc = '/proc'): string[] | undefined {
  const stat = safeRead(`${proc}/${pid}/stat`);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : undefined;
}

/** Beyond this many pids since the last look, the map reads all of /proc once instead of each pid in turn. */
const maxPidSpan = 32768;

/**
 * The host's pid of a sandbox process, from its pid in the sandbox's PID namespace (what a shim gives, read from the
 * sandbox's read-only /proc at /.hooksmith/proc: a run's own /proc shows its own namespace's). Each process started since the last look is
 * read once, so a shim call costs the few processes started since the one before, not all of /proc. A process counts
 * while the sandbox's own /proc shows it at that pid (the same start time), not one of another sandbox.
 */
function hostPidMap(holder: number): (inner: number) => number | undefined {
  const level = (nsPids(holder)?.length ?? 1) - 1;
  const byInner = new Map<number, number>();
  let cursor = holder;
  // Only this sandbox's processes: another sandbox's (another simulation's, at the same depth) has the same pids in its own
  // namespace, and noting it would take the place of this one's process with that pid, whose call would then go unanswered.
  const note = (pid: number): void => {
    const ids = nsPids(pid);
    if (ids && ids.length > level && same(ids[level], pid)) byInner.set(ids[level], pid);
  };
  const noteAll = (): void => fs.readdirSync('/proc').forEach((n) => /^\d+$/.test(n) && note(Number(n)));
  const catchUp = (): void => {
    const last = lastPid();
    const span = last === undefined ? Infinity : last >= cursor ? last - cursor : pidMax() - cursor + last;
    if (span > maxPidSpan) noteAll();
    else for (let i = 1; i <= span; i++) note(((cursor + i - 1) % pidMax()) + 1);
    cursor = last ?? cursor;
  };
  // The same process seen from both sides: its pid, start time and own PID namespace. Start times are in clock ticks, and two
  // sandboxes started together give their processes the same pids in the same tick; the namespace tells them apart.
  const same = (inner: number, host: number | undefined): host is number => {
    if (host === undefined || nsPids(host)?.[level] !== inner) return false;
    const started = statFields(inner, `/proc/${holder}/root/proc`)?.[19];
    const namespace = safeReadLink(`/proc/${holder}/root/proc/${inner}/ns/pid`);
    return started !== undefined && started === statFields(host)?.[19] && namespace !== undefined && namespace === pidNamespace(host);
  };
  return (inner) => {
    if (same(inner, byInner.get(inner))) return byInner.get(inner);
    catchUp();
    // The kernel hands out a pid (ns_last_pid moves) before /proc shows its process: a look that ran in between passed over
    // it, and the cursor is beyond it now. A process the sandbox shows but the map lacks is looked for in all of /proc.
    if (!same(inner, byInner.get(inner)) && statFields(inner, `/proc/${holder}/root/proc`)) noteAll();
    const host = byInner.get(inner);
    return same(inner, host) ? host : undefined;
  };
}

function safeReadLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

function lastPid(): number | undefined {
  const last = Number(safeRead('/proc/sys/kernel/ns_last_pid'));
  return Number.isInteger(last) && last > 0 ? last : undefined;
}

let maxPid: number | undefined;

function pidMax(): number {
  maxPid ??= Number(safeRead('/proc/sys/kernel/pid_max')) || 4194304;
  return maxPid;
}

function ancestors(pid: number): number[] {
  const out: number[] = [];
  let current = pid;
  for (let i = 0; i < 64; i++) {
    const ppid = Number(statFields(current)?.[1]);
    if (!ppid || ppid <= 1) break;
    out.push(ppid);
    current = ppid;
  }
  return out;
}

function commandLine(pid: number): string {
  const argv = safeRead(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ');
  return argv.length > 300 ? `${argv.slice(0, 300)}…` : argv || `[${safeRead(`/proc/${pid}/comm`).trim()}]`;
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
