import { append } from '../../../append';
import type { GroupRunResult } from '../../../simulate/group-run';
import type { RecordedCommand } from '../../../simulate/shims';
import { marker } from './wrapper';
import { escapeWarning } from '../../../simulate/escapees';

/** How one hook's run ended, from the wrapper's markers and the group run. */
export type Ending =
  | 'returned' // the function returned: its status is the exit code
  | 'exited' // the shell ended inside the hook: exit (or set -e)
  | 'run_iptables-failed' // live run: run_iptables' iptables failed
  | 'not-called' // sh stopped before the call: a syntax error, or an exit in lib.private
  | 'timed-out'
  | 'cancelled'
  | 'killed'
  | 'not-started';

export function endingOf(run: GroupRunResult, markers: ReadonlySet<string>): Ending {
  if (run.spawnError) return 'not-started';
  if (run.stoppedBy === 'timeout') return 'timed-out';
  if (run.stoppedBy === 'cancelled') return 'cancelled';
  if (run.signal) return 'killed';
  if (markers.has(marker.returned)) return 'returned';
  if (markers.has(marker.runIptablesFailed)) return 'run_iptables-failed';
  return markers.has(marker.called) ? 'exited' : 'not-called';
}

export interface RunFacts {
  readonly command: string;
  readonly hook: string;
  readonly iface: string;
  /** The hooks this command would run after this one. */
  readonly later: readonly string[];
  readonly ending: Ending;
  readonly run: GroupRunResult;
  readonly stdout: string;
  readonly commands: readonly RecordedCommand[];
  /** Where an exit command is written: the hook, else lib.private (a function the hook calls), else nowhere. */
  readonly exitIn: string | undefined;
  /** The hook's text calls run_iptables (the count a live run cannot record). */
  readonly callsRunIptables: boolean;
  readonly live: boolean;
  readonly timeoutMs: number;
}

export interface Verdict {
  readonly warnings: string[];
  /** Counts against the report's ok. */
  readonly failed: boolean;
  /** Shorewall's firewall script would end here: later hooks do not run. */
  readonly endsScript: boolean;
}

const stateless = new Set(['started', 'restored']);

/** What a person should know about the run, in Shorewall's terms. */
export function verdict(f: RunFacts): Verdict {
  const warnings: string[] = [];
  const status = f.run.exitCode ?? 0;
  const rest = f.later.length ? `, and ${f.later.join(', ')} would not run` : '';
  let failed = f.ending !== 'returned' || status !== 0;
  let endsScript = false;
  switch (f.ending) {
    case 'returned':
      if (status !== 0) warnings.push(nonZeroReturn(f, status));
      if (f.hook === 'findgw') warnings.push(gateway(f));
      break;
    case 'exited':
      if (f.hook === 'findgw') {
        // lib.common: gateway=$(run_findgw_exit $1): the exit ends only that command substitution.
        warnings.push(
          `exit ${status} in findgw ends only the command substitution Shorewall runs it in (gateway=$(run_findgw_exit ` +
            `${f.iface})), so the firewall script goes on; use return all the same.`,
        );
        failed = status !== 0;
        if (status === 0) warnings.push(gateway(f));
        break;
      }
      endsScript = true;
      failed = true;
      warnings.push(
        f.exitIn
          ? `exit ${status} in ${f.exitIn === f.hook ? f.hook : `${f.hook} (through a lib.private function)`} ends the ` +
              `whole generated firewall script, not just this hook: \`shorewall ${f.command}\` would stop here with status ` +
              `${status}${rest}. Use return.`
          : `${f.hook} ended the shell with status ${status} instead of returning (a failing command under set -e?): in ` +
              `Shorewall's generated script that ends \`shorewall ${f.command}\` here${rest}.`,
      );
      break;
    case 'run_iptables-failed':
      endsScript = true;
      warnings.push(
        `run_iptables failed in ${f.hook}: Shorewall would stop the firewall (or restore the last save) and end ` +
          `\`shorewall ${f.command}\` with status 2${rest}.`,
      );
      break;
    case 'not-called':
      warnings.push(
        `sh stopped with status ${status} before calling ${f.hook}: a syntax error in ${f.hook} or lib.private, or an ` +
          `exit at lib.private's top level (see stderr). Pasted into the generated firewall script, a syntax error stops ` +
          `the whole script before it changes anything, for every command.`,
      );
      break;
    case 'timed-out':
      warnings.push(
        `${f.hook} did not finish within ${f.timeoutMs / 1000} s and was killed: Shorewall has no time limit, so ` +
          `\`shorewall ${f.command}\` would hang here.`,
      );
      break;
    case 'cancelled':
      warnings.push(`Cancelled: ${f.run.signals.map((s) => s.signal).join(', then ')} sent to its process group.`);
      break;
    case 'killed':
      warnings.push(`${f.hook} was killed by ${f.run.signal}.`);
      break;
    case 'not-started':
      warnings.push(`The shell could not be started: ${f.run.spawnError}`);
      break;
  }
  const misuse = runIptablesMisuse(f);
  if (misuse) {
    warnings.push(misuse);
    failed = true;
  }
  append(warnings, splitArguments(f.commands));
  const escaped = escapeWarning(f.run.escaped);
  if (escaped) warnings.push(escaped);
  if (f.run.leftRunning.length) {
    warnings.push(
      `${f.hook} left ${f.run.leftRunning.length} background process(es) running; the simulation killed them (under ` +
        `Shorewall they would outlive the firewall script).`,
    );
  }
  return { warnings, failed, endsScript };
}

function nonZeroReturn(f: RunFacts, status: number): string {
  const notFound = status === 127 ? ' (127: a command was not found)' : '';
  if (f.hook === 'isusable')
    return (
      `isusable returned ${status}${notFound} for ${f.iface}: Shorewall treats ${f.iface} as unusable, and its ` +
      `optional provider is not started.`
    );
  if (f.hook === 'findgw') return `findgw returned ${status}${notFound}: Shorewall ignores its status and uses only what it printed.`;
  return (
    `${f.hook} returned ${status}${notFound}: the generated script does not check this status and goes on with the ` +
    `rest of \`shorewall ${f.command}\`.`
  );
}

function gateway(f: RunFacts): string {
  const printed = f.stdout.trim().split('\n')[0] ?? '';
  return printed
    ? `findgw printed "${printed}": Shorewall would use it as the gateway through ${f.iface}.`
    : `findgw printed nothing: Shorewall looks for the gateway through ${f.iface} elsewhere (the interface's peer ` +
        `address, dhcpcd and dhclient lease files, the routing table).`;
}

function runIptablesMisuse(f: RunFacts): string | undefined {
  if (!stateless.has(f.hook)) return undefined;
  const calls = f.commands.filter((c) => c.argv[0] === 'run_iptables').length;
  if (!calls && !(f.live && f.callsRunIptables)) return undefined;
  const count = calls ? ` (${calls} call${calls > 1 ? 's' : ''})` : '';
  return (
    `run_iptables in ${f.hook}${count} is an error: the firewall is already marked running here, and if the command ` +
    `failed run_iptables would stop it. Shorewall's documentation: run_iptables should not be called from started ` +
    `or restored. Run iptables and check its status instead.`
  );
}

/** lib.common runs `$g_tool $@`, unquoted: an argument with spaces or glob characters is split (and globbed) there. */
function splitArguments(commands: readonly RecordedCommand[]): string[] {
  return commands
    .filter((c) => c.argv[0] === 'run_iptables' && c.argv.slice(1).some((a) => /[\s*?[]/.test(a) || a === ''))
    .slice(0, 1)
    .map(
      (c) =>
        `run_iptables passes its arguments to iptables unquoted ($g_tool $@): an argument such as ` +
        `${JSON.stringify(c.argv.slice(1).find((a) => /[\s*?[]/.test(a) || a === ''))} is split into words (or globbed, ` +
        `or dropped when empty) by the real run_iptables. The commands above show the arguments as the hook passed them.`,
    );
}
