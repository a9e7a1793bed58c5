import { hookEvents } from '../families/anyconnect/simulate/simulate';
import { ShorewallCommand, shorewallCommands } from '../families/shorewall/request';
import { SimulationRequest } from '../protocol';
import type { HookEvent } from '../families/anyconnect/request';
import { defineEntry } from './defineEntry';
import { UsageError } from './usageError';

export interface SimulateArgs {
  readonly command: 'simulate';
  readonly request: SimulationRequest;
  readonly json: boolean;
}

export const simulateUsage = `Usage: hooksmith simulate connect|disconnect|reconnect|update [options]
       hooksmith simulate sequence EVENT,EVENT... [--gap-ms N] [options]
       hooksmith simulate shorewall COMMAND --confdir DIR [--interface IF] [options]

Runs hooks as their executor would, in a dry run: commands that change the machine
(ip, route, iptables, nft, mount, net, logger, systemctl, sudo, ...) are recorded by
shims instead of run. Each hook runs in its own process group: at the timeout the
whole group gets SIGTERM, then SIGKILL after the grace.

AnyConnect options:
  --profile FILE             profile: its OnConnectScript/OnDisconnectScript (seed), its
                             TerminateScriptOnNextEvent and its first HostEntry
  --scripts DIR              script folder (default: beside the profile: its folder, script/, scripts/)
  --script FILE              run this file for every event instead of choosing one
  --terminate-on-next-event true|false
                             overrides the profile's TerminateScriptOnNextEvent
  --gap-ms N                 between the events of a sequence (default: 1000)
Shorewall options (COMMAND: ${shorewallCommands.join(', ')}):
  --confdir DIR              the folder holding the hooks (CONFDIR)
  --interface IF             $1 of isusable and findgw (default: eth0)
Common options:
  --timeout S                seconds before SIGTERM (default: 60)
  --grace-ms N               milliseconds from SIGTERM to SIGKILL (default: 1000)
  --env NAME=VALUE           set a variable for the hooks, verbatim (repeatable)
  --live                     run for real: no shims (the hooks change this machine)
  --json                     print {"runs":[...], ...} instead of text

Exit status: 0 every hook exited 0, 1 otherwise, 2 usage error.`;

type Builder = { fields: Record<string, unknown>; json: boolean };

/** `simulate ...` after the word simulate. */
export function parseSimulate(argv: readonly string[]): SimulateArgs | { readonly command: 'help'; readonly topic: 'simulate' } {
  if (argv.includes('-h') || argv.includes('--help')) return { command: 'help', topic: 'simulate' };
  const [what, ...rest] = argv;
  if (what === undefined) throw new UsageError('simulate needs an event (connect, disconnect, reconnect, update), sequence or shorewall.');
  if (what === 'shorewall') return shorewall(rest);
  if (what === 'sequence') {
    const [list, ...options] = rest;
    if (list === undefined || list.startsWith('-')) throw new UsageError('simulate sequence needs a list of events, for example connect,disconnect.');
    return anyconnect(list.split(',').map((e) => e.trim()), options);
  }
  return anyconnect([what], rest);
}

function anyconnect(events: string[], argv: readonly string[]): SimulateArgs {
  for (const e of events) if (!hookEvents.includes(e as HookEvent)) throw new UsageError(`Unknown event '${e}': use ${hookEvents.join(', ')}.`);
  const b = options(argv, {
    '--profile': (v, f) => (f.profile = v),
    '--scripts': (v, f) => (f.scripts = v),
    '--script': (v, f) => (f.script = v),
    '--gap-ms': (v, f) => (f.gapMs = milliseconds('--gap-ms', v)),
    '--terminate-on-next-event': (v, f) => (f.terminateOnNextEvent = boolean('--terminate-on-next-event', v)),
  });
  if (!b.fields.profile && !b.fields.scripts && !b.fields.script) throw new UsageError('Give --profile, --scripts or --script.');
  return { command: 'simulate', json: b.json, request: { kind: 'anyconnect', events: events as HookEvent[], ...b.fields } };
}

function shorewall(argv: readonly string[]): SimulateArgs {
  const [command, ...rest] = argv;
  if (!shorewallCommands.includes(command as ShorewallCommand)) {
    throw new UsageError(`simulate shorewall needs a command: ${shorewallCommands.join(', ')}${command ? `, not '${command}'` : ''}.`);
  }
  const b = options(rest, {
    '--confdir': (v, f) => (f.confdir = v),
    '--interface': (v, f) => (f.interface = v),
  });
  if (typeof b.fields.confdir !== 'string') throw new UsageError('simulate shorewall needs --confdir DIR.');
  return { command: 'simulate', json: b.json, request: { kind: 'shorewall', command: command as ShorewallCommand, confdir: b.fields.confdir, ...b.fields } };
}

type Setter = (value: string, fields: Record<string, unknown>) => unknown;

/** The common options plus the family's own; every option takes its value as `--x V` or `--x=V`. */
function options(argv: readonly string[], own: Record<string, Setter>): Builder {
  const b: Builder = { fields: {}, json: false };
  const env: Record<string, string> = {};
  const setters: Record<string, Setter> = {
    ...own,
    '--timeout': (v, f) => (f.timeoutMs = seconds(v)),
    '--grace-ms': (v, f) => (f.graceMs = milliseconds('--grace-ms', v)),
    '--env': (v) => addEnv(env, v),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') b.json = true;
    else if (arg === '--live') b.fields.live = true;
    else {
      const eq = arg.indexOf('=');
      const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
      const set = setters[flag];
      if (!set) throw new UsageError(arg.startsWith('-') ? `Unknown option '${flag}'.` : `Unexpected argument '${arg}'.`);
      const value = flag !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value.`);
      set(value, b.fields);
    }
  }
  if (Object.keys(env).length) b.fields.env = env;
  return b;
}

function addEnv(env: Record<string, string>, value: string): void {
  const eq = value.indexOf('=');
  const name = value.slice(0, eq);
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env takes NAME=VALUE with a shell variable name, not '${value}'.`);
  defineEntry(env, name, value.slice(eq + 1));
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--timeout must be a number of seconds from 0 to 3600, not '${value}'.`);
  return Math.round(n * 1000);
}

function milliseconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 3_600_000) throw new UsageError(`${flag} must be a whole number of milliseconds from 0 to 3600000, not '${value}'.`);
  return n;
}

function boolean(flag: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw new UsageError(`${flag} must be true or false, not '${value}'.`);
  return value === 'true';
}
