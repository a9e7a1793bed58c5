/**
 * Requests as the client builds them: from a task definition (tasks.json), and completed with the
 * user's hooksmith.simulate.* settings. Pure: no `vscode` import, unit-tested in Node.
 */
import * as path from 'node:path';
import { shorewallCommands } from '../../../server/src/simulate/protocol';
import type { ShorewallCommand, SimulationRequest } from '../../../server/src/simulate/protocol';
import type { HookEvent } from '../../../server/src/simulate/run';

export const hookEvents: readonly HookEvent[] = ['connect', 'disconnect', 'reconnect', 'update'];
export const taskKinds = [...hookEvents, 'sequence', 'shorewall'] as const;

/** The hooksmith.simulate.* settings, as the client reads them. */
export interface SimulateSettings {
  readonly timeoutSeconds: number;
  readonly graceMs: number;
  readonly gapMs: number;
  readonly env: Readonly<Record<string, string>>;
}

/** The settings fill what the request leaves out; the request's own fields (and env keys) win. */
export function withSettings(request: SimulationRequest, settings: SimulateSettings): SimulationRequest {
  const common = {
    timeoutMs: request.timeoutMs ?? settings.timeoutSeconds * 1000,
    graceMs: request.graceMs ?? settings.graceMs,
    env: { ...settings.env, ...request.env },
  };
  if (request.kind === 'shorewall') return { ...request, ...common };
  return { ...request, ...common, gapMs: request.gapMs ?? settings.gapMs };
}

export type FromTask = { readonly ok: true; readonly request: SimulationRequest } | { readonly ok: false; readonly error: string };

/**
 * A `"type": "hooksmith"` task's definition as a request. Relative paths resolve against the
 * task's workspace folder. Bad input gets a message naming the property and what it accepts.
 */
export function requestFromTask(def: Readonly<Record<string, unknown>>, folder: string | undefined): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const kind = def.simulate;
  if (typeof kind !== 'string' || !(taskKinds as readonly string[]).includes(kind)) {
    return fail(`"simulate" must be one of ${taskKinds.join(', ')}${kind === undefined ? '' : ` (got ${JSON.stringify(kind)})`}.`);
  }
  const env = stringMap(def.env);
  if (env === null) return fail('"env" must be an object whose values are strings.');
  const timeoutMs = positive(def.timeoutSeconds);
  if (timeoutMs === null) return fail('"timeoutSeconds" must be a positive number.');
  const live = def.live === true;
  const resolve = (p: unknown): string | undefined => (typeof p === 'string' && p ? path.resolve(folder ?? '', p) : undefined);
  const common = { env, live, ...(timeoutMs === undefined ? {} : { timeoutMs: timeoutMs * 1000 }) };

  if (kind === 'shorewall') {
    const command = def.command;
    if (typeof command !== 'string' || !(shorewallCommands as readonly string[]).includes(command)) {
      return fail(`"command" must be one of ${shorewallCommands.join(', ')} for "simulate": "shorewall".`);
    }
    const confdir = resolve(def.confdir);
    if (!confdir) return fail('"confdir" (the folder holding the Shorewall hooks) is required for "simulate": "shorewall".');
    const iface = typeof def.interface === 'string' && def.interface ? { interface: def.interface } : {};
    return { ok: true, request: { kind: 'shorewall', command: command as ShorewallCommand, confdir, ...iface, ...common } };
  }

  const events = kind === 'sequence' ? eventList(def.events) : [kind as HookEvent];
  if (!events) return fail(`"events" must be a non-empty list of ${hookEvents.join(', ')} for "simulate": "sequence".`);
  const target = { profile: resolve(def.profile), scripts: resolve(def.scripts), script: resolve(def.script) };
  if (!target.profile && !target.scripts && !target.script) return fail('give "profile", "scripts" (a script folder) or "script" (one hook).');
  const gapMs = positive(def.gapMs, true);
  if (gapMs === null) return fail('"gapMs" must be a number of milliseconds, 0 or more.');
  const defined = Object.fromEntries(Object.entries({ ...target, gapMs }).filter(([, v]) => v !== undefined));
  return { ok: true, request: { kind: 'anyconnect', events, ...defined, ...common } };
}

function stringMap(value: unknown): Record<string, string> | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  return entries.every(([, v]) => typeof v === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : null;
}

/** undefined when absent, null when invalid. */
function positive(value: unknown, zeroOk = false): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) && (value > 0 || (zeroOk && value === 0)) ? value : null;
}

function eventList(value: unknown): HookEvent[] | undefined {
  if (!Array.isArray(value) || !value.length) return undefined;
  return value.every((e) => (hookEvents as readonly unknown[]).includes(e)) ? (value as HookEvent[]) : undefined;
}
