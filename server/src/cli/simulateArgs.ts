import { families } from '../families/registry';
import { FamilyCli } from '../families/family';
import { isolationModes, SimulationRequest } from '../protocol';
import * as path from 'node:path';
import { addServerPath } from './serverPathOption';
import { defineEntry } from './defineEntry';
import { milliseconds, seconds } from './optionValues';
import { UsageError } from './usageError';

export interface SimulateArgs {
  readonly command: 'simulate';
  readonly request: SimulationRequest;
  readonly json: boolean;
}

/** Each simulating family's part of the command line. */
function clis(): FamilyCli[] {
  return families.flatMap((f) => (f.simulation ? [f.simulation.cli] : []));
}

export const simulateUsage = `Usage: ${clis()
  .flatMap((c) => c.usage)
  .join('\n       ')}

Runs hooks as their executor would, in a dry run: on Linux inside a throwaway sandbox
(fresh user, mount, PID, IPC, UTS and network namespaces, with the family's tunnel
device, a copy-on-write view of the files, and limits), where whatever a hook runs
changes nothing on this machine; the report shows the state before and after each
hook. Commands that change the machine (ip, route, iptables, nft, mount, net, logger,
systemctl, sudo, ...) are also recorded by shims. Each hook runs in its own process
group: at the timeout the whole group gets SIGTERM, then SIGKILL after the grace.

${clis()
  .map((c) => c.options)
  .join('\n')}
Common options:
  --timeout S                seconds before SIGTERM, more than 0 and at most 3600 (default: 60)
  --grace-ms N               milliseconds from SIGTERM to SIGKILL (default: 1000)
  --env NAME=VALUE           set a variable for the hooks, verbatim (repeatable)
  --server-path DIR=LOCAL    a config's script paths under the server folder DIR are
                             found under LOCAL (repeatable), as hooksmith.hooks.serverPaths
  --isolation auto|sandbox|shims
                             auto (default): the sandbox where it can start, else shims;
                             sandbox: refuse without it; shims: no sandbox (hooks with
                             calls the shims cannot intercept are refused)
  --allow-unintercepted      shims mode: run such hooks anyway (those calls run for real)
  --live                     run for real: no shims (the hooks change this machine)
  --json                     print {"runs":[...], ...} instead of text

Exit status: 0 every hook exited 0, 1 otherwise, 2 usage error.`;

type Builder = { fields: Record<string, unknown>; json: boolean };

/** `simulate ...` after the word simulate: the family whose word comes first parses the rest. */
export function parseSimulate(argv: readonly string[]): SimulateArgs | { readonly command: 'help'; readonly topic: 'simulate' } {
  if (argv.includes('-h') || argv.includes('--help')) return { command: 'help', topic: 'simulate' };
  const [what, ...rest] = argv;
  const words = clis().flatMap((c) => c.words);
  if (what === undefined) throw new UsageError(`simulate needs one of: ${words.join(', ')}.`);
  const cli = clis().find((c) => c.words.includes(what)) ?? clis()[0];
  const { request, json } = cli.parse(what, rest, options);
  return { command: 'simulate', json, request };
}

type Setter = (value: string, fields: Record<string, unknown>) => unknown;

/** The common options plus the family's own; every option takes its value as `--x V` or `--x=V`. */
function options(argv: readonly string[], own: Readonly<Record<string, Setter>>): Builder {
  const b: Builder = { fields: {}, json: false };
  const env: Record<string, string> = {};
  const serverPaths: Record<string, string> = {};
  const setters: Record<string, Setter> = {
    ...own,
    '--server-path': (v) => addServerPath(serverPaths, v),
    '--timeout': (v, f) => (f.timeoutMs = seconds(v)),
    '--grace-ms': (v, f) => (f.graceMs = milliseconds('--grace-ms', v)),
    '--env': (v) => addEnv(env, v),
    '--isolation': (v, f) => (f.isolation = oneOf('--isolation', v, isolationModes)),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') b.json = true;
    else if (arg === '--live') b.fields.live = true;
    else if (arg === '--allow-unintercepted') b.fields.allowUnintercepted = true;
    else {
      const eq = arg.indexOf('=');
      const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
      const set = Object.hasOwn(setters, flag) ? setters[flag] : undefined;
      if (!set) throw new UsageError(arg.startsWith('-') ? `Unknown option '${flag}'.` : `Unexpected argument '${arg}'.`);
      const value = flag !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value.`);
      set(value, b.fields);
    }
  }
  if (Object.keys(env).length) b.fields.env = env;
  if (Object.keys(serverPaths).length)
    b.fields.serverPaths = Object.fromEntries(Object.entries(serverPaths).map(([dir, local]) => [dir, path.resolve(local)]));
  return b;
}

function addEnv(env: Record<string, string>, value: string): void {
  const eq = value.indexOf('=');
  const name = value.slice(0, eq);
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`--env takes NAME=VALUE with a shell variable name, not '${value}'.`);
  defineEntry(env, name, value.slice(eq + 1));
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'.`);
  return value as T;
}
