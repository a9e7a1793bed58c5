/**
 * The hooksmith.simulate.* settings as both sides read them: their bounds and defaults (the
 * settings schema in server/src/settings.ts takes them from here) and the one function that reads
 * and clamps them, so the VS Code client, the server and any other LSP client fill a request alike.
 */
import { SimulationRequest } from './request';

export interface SimulateSettings {
  readonly timeoutSeconds: number;
  readonly graceMs: number;
  readonly gapMs: number;
  readonly env: Readonly<Record<string, string>>;
}

export interface NumberBounds {
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** A value outside the bounds is clamped to the nearer one (0 s is 1 s; 7200 s is 3600 s), never rejected. */
export const simulateBounds: Readonly<Record<'timeoutSeconds' | 'graceMs' | 'gapMs', NumberBounds>> = {
  timeoutSeconds: { default: 60, minimum: 1, maximum: 3600 },
  graceMs: { default: 1000, minimum: 0, maximum: 60000 },
  gapMs: { default: 1000, minimum: 0, maximum: 3600000 },
};

/** A number within its bounds: out of range is clamped, not a number is the default. */
export function clampSetting(value: unknown, bounds: NumberBounds): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return bounds.default;
  return Math.min(bounds.maximum, Math.max(bounds.minimum, value));
}

/** Reads the `hooksmith.simulate` section (an object; anything else is the defaults). */
export function readSimulateSettings(section: unknown): SimulateSettings {
  const s = typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : {};
  return {
    timeoutSeconds: clampSetting(s.timeoutSeconds, simulateBounds.timeoutSeconds),
    graceMs: clampSetting(s.graceMs, simulateBounds.graceMs),
    gapMs: clampSetting(s.gapMs, simulateBounds.gapMs),
    env: stringMap(s.env),
  };
}

export function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The settings fill what the request leaves out; the request's own fields (and env keys) win.
 * A request with `events` (a sequence) also gets the gap between them. `familyTimeoutMs` is the
 * timeout of the software a family simulates (NetworkManager's 600 s): it stands before the
 * generic setting when the request gives none.
 */
export function withDefaults<T extends SimulationRequest>(request: T, settings: SimulateSettings, familyTimeoutMs?: number): T {
  const filled = {
    ...request,
    timeoutMs: request.timeoutMs ?? familyTimeoutMs ?? Math.round(settings.timeoutSeconds * 1000),
    graceMs: request.graceMs ?? settings.graceMs,
    env: { ...settings.env, ...request.env },
  };
  return Array.isArray(request.events) ? { ...filled, gapMs: request.gapMs ?? settings.gapMs } : filled;
}
