import * as fs from 'node:fs';
import * as path from 'node:path';
import { isParseFailure, parseBudget, Tree, withShellTree } from '../shell/parser';
import { commands } from '../shell/walk';
import { lineNumbers } from '../text/lineIndex';
import type { RecordedCommand, UninterceptedCall } from '../protocol';

export type { RecordedCommand, UninterceptedCall };
import { toolPath, which } from './sandbox/detect';
import { shQuote } from './shellQuote';
import { attribute, closeRecord, listenChannel, OpenRecord, openRecord, parseRecordLine, SandboxTreatment, exitFlag } from './shimChannel';
import { dropChannel, PooledChannel, remakeChannel, shimBin, stillOurs, takeChannel } from './shimFolder';
import unshimmed from './unshimmedCommands.json';

/** Commands a hook uses to change the machine; in a dry run each is a shim that records its argv. */
export const shimmedCommands = [
  'ip',
  'route',
  'iptables',
  'ip6tables',
  'nft',
  'ipset',
  'net',
  'mount',
  'umount',
  'mount.cifs',
  'mount_smbfs',
  'logger',
  'systemctl',
  'netsh',
  'gpupdate',
  // A dry run never escalates: `sudo ip ...` is recorded whole (sudo's secure_path would skip the ip shim).
  'sudo',
  'doas',
  'pkexec',
] as const;

/** The variable naming the channel (a FIFO) a shim sends its record through. */
export const shimLogVar = 'HOOKSMITH_SHIM_LOG';

export interface Shims {
  /** Goes first in the hook's PATH. */
  readonly dir: string;
  /** What a sandbox shows the hooks, read-only: the shims' folder and the channel's (a FIFO alone in it). */
  readonly shown: readonly string[];
  /** Of those, the ones that are this simulation's own (the channel's), not every simulation's of this process (see SandboxSpec.perRun). */
  readonly perRun: readonly string[];
  /** The channel every shim of this folder sends its record through (HOOKSMITH_SHIM_LOG). */
  readonly channel: string;
  /**
   * A run's record begins: the calls its shims make from now until `end()`. `hostPid` maps the
   * pid a shim gives (its own, in the sandbox's PID namespace) to the host's; given, the run is in
   * a sandbox, and each call then runs the real tool inside it (see sandboxPolicy).
   */
  record(hostPid?: (pid: number) => number | undefined): RunRecord;
  dispose(): void;
}

export interface RunRecord {
  /** The run's first process (its spawn): calls from its descendants are its own. */
  started(pid: number): void;
  /**
   * The calls, in the order they were made; the record ends. `lost`: the hook deleted or replaced
   * the channel (possible in shims mode), so calls after that are missing; it is made again.
   */
  end(): { calls: RecordedCommand[]; lost?: string };
}

// The shim sends its PID into the runner's FIFO (a builtin echo: where /proc shows the process, the
// runner reads its arguments there), then waits (at most 30 s: on a machine at load 12 the runner
// answered more than 5 s late, and the call went unrecorded) for the runner's answer, which comes
// once the runner has checked that this very process is a shell whose script is this shim (see
// shimChannel.ts). A line written by anything else (a hook's forged line, one naming another
// process) does not count, and nothing a hook does can take back a record the runner has read.
// Without /proc, awk sends "PID JSON-argv": it sees argv via ARGV, so no shell ever re-reads a
// value, and it escapes quotes, backslashes and control characters. Bytes >= 0x80 pass through
// (UTF-8 stays valid). The answer: SIGUSR1, recorded (exit
// 0); SIGUSR2, recorded and to be run for real, which only a sandbox's runner sends. Either way the
// shim reaps its sleep before it goes on: an orphaned, dying sleep was seen by the end-of-run scan
// as an escaped process. Told to run, the shim runs the real tool by the path the product resolved
// (see sandboxPolicy: never through the hook's PATH), with the hook's stdin, stdout and stderr, then
// becomes (exec, the same process) itself called as `--hooksmith-exit STATUS`, sends "PID exit", waits
// for the runner's SIGUSR1 again and exits with the tool's status, so the hook sees what the tool did.
// The runner reads the status from that process's own arguments, which the kernel keeps and the hook
// cannot write, not from the line: a hook's forged "PID exit 42" for a shim still running its tool
// finds the shim not in that form, and counts for nothing. It runs
// nothing outside a network namespace of its own (the sandbox's): a SIGUSR2 a hook sends its own
// shim in shims mode runs nothing on this machine.
function shimScript(tools: ReadonlyMap<string, string>): string {
  const table = [...tools].map(([name, file]) => `${name}) set -- ${shQuote(file)} "$@" ;;`).join('\n');
  return `#!/bin/sh
[ -n "$${shimLogVar}" ] || exit 0
if [ ! -p "$${shimLogVar}" ]; then echo "hooksmith: \${0##*/} was not recorded: the dry run's record channel is gone" >&2; exit 0; fi
# Its pid as the sandbox's /proc shows it (a run's own PID namespace, and /proc, nest in the sandbox's: $$ is not that one).
me=$$ st=/proc/self/status
[ -r /.hooksmith/proc/self/status ] && st=/.hooksmith/proc/self/status
[ -r $st ] && while read -r k v; do [ "$k" = Pid: ] && { me=$v; break; }; done <$st
if [ "$1" = ${exitFlag} ]; then
  trap 'kill "$w" 2>/dev/null' USR1
  sleep 30 & w=$!
  echo "$me exit" > "$${shimLogVar}"
  wait "$w" 2>/dev/null
  wait "$w" 2>/dev/null
  exit "$2"
fi
answer=
trap 'answer=recorded; kill "$w" 2>/dev/null' USR1
trap 'answer=run; kill "$w" 2>/dev/null' USR2
sleep 30 & w=$!
if [ -r /proc/self/cmdline ]; then echo "$me" > "$${shimLogVar}"; else
awk -v pid="$me" 'BEGIN {
  for (c = 1; c < 32; c++) esc[sprintf("%c", c)] = sprintf("\\\\u%04x", c)
  esc["\\\\"] = "\\\\\\\\"; esc["\\""] = "\\\\\\""
  line = pid " {\\"argv\\":["
  for (i = 1; i < ARGC; i++) {
    s = ARGV[i]; out = ""
    for (j = 1; j <= length(s); j++) { ch = substr(s, j, 1); out = out ((ch in esc) ? esc[ch] : ch) }
    line = line (i > 1 ? "," : "") "\\"" out "\\""
  }
  print line "]}" > ENVIRON["${shimLogVar}"]
}' "\${0##*/}" "$@"
fi
wait "$w" 2>/dev/null
wait "$w" 2>/dev/null
case $answer in
recorded) exit 0 ;;
run) [ "$(readlink /proc/self/ns/net)" != ${shQuote(ownNetNamespace())} ] || exit 0 ;;
*) echo "hooksmith: \${0##*/} was not recorded: the runner did not confirm it" >&2; exit 0 ;;
esac
case \${0##*/} in
${table}
sudo|doas|pkexec)
  while [ $# -gt 0 ]; do
    case $1 in
    --) shift; break ;;
    -[ugCDhprtTU]|--user|--group|--chdir|--prompt) shift 2 || exit 1 ;;
    -*) shift ;;
    *=*) export "$1"; shift ;;
    *) break ;;
    esac
  done
  [ $# -gt 0 ] || exit 0
  PATH="\${0%/*}:${toolPath}"; export PATH ;;
*) exit 0 ;;
esac
"$@"
s=$?
[ -p "$${shimLogVar}" ] || exit $s
exec /bin/sh "$0" ${exitFlag} "$s"
`;
}

/** The tools whose changes the sandbox measures (links, addresses, routes, rules, firewall): in a sandbox their shim runs them. */
const networkTools: ReadonlySet<string> = new Set(['ip', 'route', 'iptables', 'ip6tables', 'nft', 'ipset']);

const mountWhy = 'a mount needs its share, and the sandbox has no network';
const windowsWhy = 'a Windows (or Samba) command';

/**
 * Why the other shimmed commands are only recorded in a sandbox; sudo, doas and pkexec run the rest of their command (the hook is root
 * there).
 */
const otherTools: Readonly<Record<string, SandboxTreatment>> = {
  sudo: { run: 'rest' },
  doas: { run: 'rest' },
  pkexec: { run: 'rest' },
  mount: { why: mountWhy },
  umount: { why: mountWhy },
  'mount.cifs': { why: mountWhy },
  mount_smbfs: { why: mountWhy },
  systemctl: { why: "it would talk to this machine's service manager" },
  logger: { why: "it would write to this machine's system log" },
  net: { why: windowsWhy },
  netsh: { why: windowsWhy },
  gpupdate: { why: windowsWhy },
};

/**
 * What a sandbox does with each shim's call (`names` maps a shim to the tool it stands for): run
 * the real tool at the path looked up here, once per shim folder, in the product's own PATH (never
 * the hook's, and never the shim folder), or say why the call is only recorded.
 */
function sandboxPolicy(names: ReadonlyMap<string, string | undefined>): Map<string, SandboxTreatment> {
  const policy = new Map<string, SandboxTreatment>();
  for (const [name, tool] of names) {
    if (!tool || !networkTools.has(tool)) {
      policy.set(name, otherTools[tool ?? ''] ?? { why: 'it stands for no tool the sandbox runs' });
      continue;
    }
    const file = which(tool);
    policy.set(name, file ? { run: file } : { why: `${tool} is not installed on this machine` });
  }
  return policy;
}

function ownNetNamespace(): string {
  try {
    return fs.readlinkSync('/proc/self/ns/net');
  } catch {
    return 'none';
  }
}

/**
 * The shims for every shimmed command and per name in `extra` with the tool it stands for, if any
 * (Shorewall's run_iptables runs iptables), with a record channel of their own. The shims are
 * shared by every dry run of this process (see shimFolder.ts: made once, checked before each run);
 * the channel is this simulation's.
 */
export function createShims(extra: Readonly<Record<string, string | undefined>> = {}): Shims {
  const names = new Map<string, string | undefined>([...shimmedCommands.map((n) => [n, n] as const), ...Object.entries(extra)]);
  const policy = sandboxPolicy(names);
  const tools = new Map([...policy].flatMap(([name, p]) => ('run' in p && p.run !== 'rest' ? [[name, p.run] as const] : [])));
  const text = shimScript(tools);
  const shimNames: ReadonlySet<string> = new Set(names.keys());
  const bin = shimBin(shimNames, text);
  const runs: OpenRecord[] = [];
  const listen = (channel: PooledChannel | undefined): (() => void) =>
    channel
      ? listenChannel(channel.fd, (line) => {
          const call = parseRecordLine(line);
          if (call) attribute(call, runs);
        })
      : () => undefined;
  let pooled = takeChannel(); // none: no mkfifo, and the shims say the channel is gone, each time
  let close = listen(pooled);
  // The hook may have deleted or replaced the FIFO (its folder is the hook's own in shims mode): make it again, and say so.
  const repaired = (): boolean => {
    if (!pooled || stillOurs(pooled)) return false;
    close();
    pooled = remakeChannel(pooled);
    close = listen(pooled);
    return true;
  };
  const channel = pooled?.file ?? path.join(path.dirname(bin.dir), 'log', 'unavailable');
  return {
    dir: bin.dir,
    shown: pooled ? [bin.dir, path.dirname(channel)] : [bin.dir],
    perRun: pooled ? [path.dirname(channel)] : [],
    channel,
    record: (hostPid) => {
      shimBin(shimNames, text); // what an earlier run did to the shims is undone before this one
      const run: OpenRecord = {
        calls: [],
        hostPid,
        seen: new Map(),
        hosts: new Map(),
        sandbox: hostPid ? (name) => policy.get(name) : undefined,
        dir: bin.dir,
        names,
      };
      runs.push(run);
      openRecord(run);
      return {
        started: (pid) => void (run.root = pid),
        end: () => {
          runs.splice(runs.indexOf(run), 1);
          closeRecord(run);
          const calls = run.calls.map((c) => ({ ...c }));
          return repaired() ? { calls, lost: channelLost } : { calls };
        },
      };
    },
    dispose: () => {
      if (pooled) dropChannel(pooled); // while its fd still tells it from a file put in its place
      close();
    },
  };
}

const channelLost =
  `hooksmith: the hook deleted or replaced the shims' record channel ($${shimLogVar}): the shimmed calls after that are ` +
  `missing from this record (they ran nothing). It was made again for the next run.`;

/** Commands that run their first operand as a command, found through PATH unless it is a path. */
const wrappers = new Set(['env', 'nohup', 'nice', 'exec', 'command', 'timeout', 'stdbuf', 'ionice', 'setsid', 'xargs', 'chrt', 'taskset']);
const shimmed: ReadonlySet<string> = new Set(shimmedCommands);

/**
 * Calls that bypass the shims, so they would run for real even in a dry run: a command by
 * absolute path, one run through a wrapper by absolute path or through busybox, and any change of
 * PATH (commands after it may no longer find the shims first). A script the shell parser cannot
 * read gets one entry that says so: the run has happened, and its report must not be lost.
 */
export function uninterceptedCalls(scriptText: string): UninterceptedCall[] {
  try {
    return withShellTree(scriptText, (tree) => callsBypassingShims(tree, scriptText), parseBudget(scriptText));
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    return [uncheckedScript(scriptText, e)];
  }
}

/** The one entry for a script the parser could not read: nothing in it was checked. */
export function uncheckedScript(scriptText: string, failure: Error): UninterceptedCall {
  const why =
    `Hooksmith's shell parser could not read this script (${failure.message}), so it could not look for calls that ` +
    `bypass the shims: any command in it may have run for real.`;
  return { command: '(unchecked)', line: 1, text: scriptText.split(/\r?\n/, 1)[0].slice(0, 200), why };
}

/**
 * Commands that change the machine or send traffic and have no shim: in shims mode they would run for real (a data table: see its "about").
 */
export const unshimmedCommands: ReadonlySet<string> = new Set(unshimmed.commands);
/** Programs that run code the shell analysis cannot read (their own language, or a string). */
const interpreters = /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|tclsh[0-9.]*|osascript)$/;
const shells = /^(sh|bash|dash|ksh|mksh|zsh|ash|busybox)$/;

/** uninterceptedCalls on a parsed script, for callers that read more from the same tree. */
export function callsBypassingShims(tree: Tree, scriptText: string): UninterceptedCall[] {
  const lineOf = lineNumbers(scriptText);
  return bypassSites(tree).map((s) => ({ command: s.command, line: lineOf(s.startIndex), text: s.text, why: s.why }));
}

/** A call that bypasses the shims, where it is in the text (the lint rule marks it there). */
export interface BypassSite {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly command: string;
  readonly text: string;
  readonly why: string;
  /**
   * bypass: a way around the shims (a path, a wrapper, eval, an interpreter, a PATH change);
   * no-shim: a command with no shim, which a correct hook may well call (ping in isusable).
   */
  readonly kind: 'bypass' | 'no-shim';
}

/** The calls of a parsed script that no shim can stand in for, in text order. */
export function bypassSites(tree: Tree): BypassSite[] {
  const found: BypassSite[] = [];
  const at = (startIndex: number, command: string, text: string, why: string, kind: BypassSite['kind'] = 'bypass'): void =>
    void found.push({ startIndex, endIndex: startIndex + text.length, command, text, why, kind });
  for (const c of commands(tree)) {
    if (c.name.startsWith('/'))
      at(c.startIndex, c.name, c.text, `${c.name} is called by its path: PATH lookup (and so the shim) is bypassed.`);
    else if (c.name.includes('/'))
      at(c.startIndex, c.name, c.text, `${c.name} is called by a relative path: PATH lookup (and so the shim) is bypassed.`);
    else if (/[$`]/.test(c.name))
      at(c.startIndex, c.name, c.text, `the command name ${c.name} is computed when the hook runs: the analysis cannot tell what it runs.`);
    const wrapped = wrappedCommand(c.name, c.args);
    if (wrapped?.startsWith('/')) at(c.startIndex, wrapped, c.text, `${c.name} runs ${wrapped} by its path: the shim is bypassed.`);
    if (c.name === 'busybox' && wrapped && shimmed.has(wrapped))
      at(c.startIndex, wrapped, c.text, `busybox runs its own ${wrapped} applet, not the shim.`);
    if (c.name === 'env' && c.args.some((a) => a === '-i' || a === '--ignore-environment' || a.startsWith('PATH='))) {
      at(c.startIndex, 'env', c.text, 'env replaces PATH for the command it runs: the shims may not be found.');
    }
    if (c.name === 'command' && c.args.includes('-p'))
      at(c.startIndex, 'command -p', c.text, "command -p looks the command up in the system's default PATH, not through the shims.");
    if (c.name === 'eval') at(c.startIndex, 'eval', c.text, 'eval runs text made when the hook runs: the analysis cannot see it.');
    if (shells.test(c.name) && c.args.includes('-c'))
      at(c.startIndex, c.name, c.text, `${c.name} -c runs a command string the analysis does not follow.`);
    if (interpreters.test(c.name))
      at(c.startIndex, c.name, c.text, `${c.name} runs code in its own language (system(), exec, ...): no shim sees what it starts.`);
    if (c.name === 'find' && c.args.some((a) => /^-(exec|execdir|ok|okdir)$/.test(a)))
      at(c.startIndex, 'find', c.text, 'find -exec runs the command itself, by whatever path it is given.');
    if (unshimmedCommands.has(c.name) || (wrapped !== undefined && unshimmedCommands.has(wrapped))) {
      const name = unshimmedCommands.has(c.name) ? c.name : (wrapped as string);
      at(c.startIndex, name, c.text, `${name} has no shim: it would run for real (and may send traffic off this machine).`, 'no-shim');
    }
  }
  for (const node of tree.rootNode.descendantsOfType('variable_assignment')) {
    // PATH=$PATH:/more keeps the shims first; any other value may not.
    if (
      node?.childForFieldName('name')?.text === 'PATH' &&
      !/^["']?\$\{?PATH\}?(["']?$|:)/.test(node.childForFieldName('value')?.text ?? '')
    ) {
      at(
        node.startIndex,
        'PATH',
        node.text,
        'PATH is set here: commands after it are looked up in the new PATH, and the shims come first only if it keeps them.',
      );
    }
  }
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

/** The files a script sources (`. FILE`, `source FILE`) with a literal name, and the lines where a name is computed. */
export function sourcedFiles(tree: Tree): { file: string; startIndex: number; text: string }[] {
  return commands(tree)
    .filter((c) => (c.name === '.' || c.name === 'source') && c.args.length > 0)
    .map((c) => ({ file: c.args[0], startIndex: c.startIndex, text: c.text }));
}

/** The command a wrapper runs: its first operand that is not an option or (env) an assignment; timeout's first is the duration. */
function wrappedCommand(name: string, args: readonly string[]): string | undefined {
  if (!wrappers.has(name) && name !== 'busybox') return undefined;
  const operands = args.filter((a) => !a.startsWith('-') && !(name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)));
  return name === 'timeout' ? operands[1] : operands[0];
}
