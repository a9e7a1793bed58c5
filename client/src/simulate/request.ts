/**
 * Requests as the client builds them: from a task definition (tasks.json), and completed with the
 * user's hooksmith.simulate.* settings. Pure: no `vscode` import, unit-tested in Node.
 */
import * as path from 'node:path';
import { shorewallCommands } from '../../../server/src/families/shorewall/request';
import type { ShorewallCommand } from '../../../server/src/families/shorewall/request';
import type { SimulationRequest } from '../../../server/src/protocol';
import type { HookEvent } from '../../../server/src/families/anyconnect/request';
import { simulateBounds, withDefaults } from '../../../server/src/protocol';
import type { SimulateSettings } from '../../../server/src/protocol';

export const hookEvents: readonly HookEvent[] = ['connect', 'disconnect', 'reconnect', 'update'];
export const taskKinds = [...hookEvents, 'sequence', 'shorewall'] as const;

export type { SimulateSettings };

/** The settings fill what the request leaves out (the one rule, shared with the server). */
export const withSettings = withDefaults;

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
  const timeoutSeconds = positive(def.timeoutSeconds);
  if (timeoutSeconds === null) return fail('"timeoutSeconds" must be a positive number.');
  // As the setting: above the hour is clamped to it, not refused by the server.
  const timeoutMs = timeoutSeconds === undefined ? undefined : Math.round(Math.min(timeoutSeconds, simulateBounds.timeoutSeconds.maximum) * 1000);
  const live = def.live === true;
  const resolve = (p: unknown): string | undefined => (typeof p === 'string' && p ? path.resolve(folder ?? '', p) : undefined);
  const common = { env, live, ...(timeoutMs === undefined ? {} : { timeoutMs }) };

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
