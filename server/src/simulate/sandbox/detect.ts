import * as fs from 'node:fs';
import * as path from 'node:path';
import { syscallNumbers } from './scripts';

export type SandboxTool = 'bwrap' | 'unshare';

/** What isolation a run had, and why: every report says it. */
export interface Isolation {
  readonly mode: 'sandbox' | 'shims' | 'live';
  /** The tool that made the namespaces (sandbox mode). */
  readonly tool?: SandboxTool;
  /** One sentence: why this isolation ran (and, for shims, why the sandbox did not). */
  readonly reason: string;
}

/** Where the tools are looked up: the same fixed PATH hooks get, never the editor's. */
export const toolPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Besides bwrap or unshare, the sandbox needs these (util-linux, iproute2, perl-base, coreutils); the mounts are Perl's own system calls.
 */
const needed = ['unshare', 'setpriv', 'ip', 'perl', 'env'];

export type ToolChoice =
  { readonly ok: true; readonly tool: SandboxTool; readonly reason: string } | { readonly ok: false; readonly reason: string };

const chosen = new Map<string, ToolChoice>();

/**
 * Which tool makes the sandbox on this machine, looked up once per preference: bubblewrap where it
 * is installed, else util-linux unshare. `prefer` forces one (tests run both paths).
 */
export function chooseTool(prefer?: SandboxTool): ToolChoice {
  const key = prefer ?? 'auto';
  const known = chosen.get(key);
  if (known) return known;
  const choice = lookUp(prefer);
  chosen.set(key, choice);
  return choice;
}

function lookUp(prefer: SandboxTool | undefined): ToolChoice {
  if (process.platform !== 'linux') return { ok: false, reason: `the sandbox needs Linux namespaces, and this is ${process.platform}` };
  if (!syscallNumbers[process.arch])
    return { ok: false, reason: `the sandbox makes Linux system calls by number, and does not know them for ${process.arch}` };
  const missing = needed.filter((c) => !which(c));
  if (missing.length) return { ok: false, reason: `the sandbox needs ${missing.join(', ')}, not found in ${toolPath}` };
  if (prefer === 'unshare' || (!prefer && !which('bwrap'))) {
    return {
      ok: true,
      tool: 'unshare',
      reason: prefer
        ? 'util-linux unshare was asked for'
        : 'bubblewrap (bwrap) is not installed, so util-linux unshare made the namespaces',
    };
  }
  if (!which('bwrap')) return { ok: false, reason: 'bubblewrap (bwrap) was asked for and is not installed' };
  return { ok: true, tool: 'bwrap', reason: 'bubblewrap (bwrap) is installed' };
}

export function which(command: string): string | undefined {
  for (const dir of toolPath.split(':')) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The kernel's switches for unprivileged user namespaces, as this machine has them. */
export interface NamespaceFacts {
  /** kernel.apparmor_restrict_unprivileged_userns = 1 (Ubuntu 23.10 and later). */
  readonly apparmorRestricts?: boolean;
  /** kernel.unprivileged_userns_clone = 0 (older Debian kernels). */
  readonly usernsCloneOff?: boolean;
}

export function namespaceFacts(): NamespaceFacts {
  return {
    apparmorRestricts: readNumber('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === 1,
    usernsCloneOff: readNumber('/proc/sys/kernel/unprivileged_userns_clone') === 0,
  };
}

const apparmorFix =
  'allow them for the sandbox tool with an AppArmor profile (see /etc/apparmor.d/bwrap-userns-restrict), or `sudo ' +
  'sysctl kernel.apparmor_restrict_unprivileged_userns=0`; or run with --isolation shims.';

/**
 * The error's second half when the namespaces could not be made: the likely cause and its fix,
 * from the kernel's switches and from what the tool said. Under AppArmor's restriction the user
 * namespace is made but has no rights: bwrap then fails "setting up uid map: Permission denied",
 * unshare "write failed /proc/self/uid_map: Operation not permitted".
 */
export function namespaceAdvice(toolOutput = '', facts: NamespaceFacts = namespaceFacts()): string {
  if (facts.apparmorRestricts)
    return `AppArmor restricts unprivileged user namespaces on this machine (Ubuntu 23.10 and later): ${apparmorFix}`;
  if (facts.usernsCloneOff)
    return (
      'Unprivileged user namespaces are turned off (kernel.unprivileged_userns_clone=0): `sudo sysctl ' +
      'kernel.unprivileged_userns_clone=1`, or run with --isolation shims.'
    );
  if (/(uid[ _]map|gid[ _]map|setgroups)\b.*(Permission denied|Operation not permitted)/i.test(toolOutput)) {
    return (
      `The user namespace was made but given no rights over its own user ids, which is what AppArmor's restriction of ` +
      `unprivileged user namespaces does (Ubuntu 23.10 and later; some containers do the same): ${apparmorFix}`
    );
  }
  return (
    'User, mount, network and PID namespaces must be allowed for this user (a container may forbid them); otherwise ' +
    'run with --isolation shims.'
  );
}

function readNumber(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
}
