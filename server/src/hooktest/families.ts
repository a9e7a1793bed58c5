/**
 * What a spec asks of a family, read from its declarations only: its request fields, its events
 * (the values its request fields take, its hooks and what runs them) and which run an event's
 * expectations are about. A new family works in specs without a line here.
 */
import * as path from 'node:path';
import { families } from '../families/registry';
import type { HookFamily } from '../families/family';
import type { RequestField, RunReport } from '../protocol';

/** The families that simulate: a test can name only these. */
export function testableFamilies(): HookFamily[] {
  return families.filter((f) => f.simulation);
}

export function familyById(id: unknown): HookFamily | undefined {
  return testableFamilies().find((f) => f.id === id);
}

export function requestFields(family: HookFamily): readonly RequestField[] {
  return family.simulation?.request.fields ?? [];
}

/** The names an expectation may sit under: the events and commands its requests take, and its hooks. */
export function familyEvents(family: HookFamily): string[] {
  const fromFields = requestFields(family).flatMap((f) => (f.role === 'events' && f.values ? f.values : []));
  return [...new Set([...fromFields, ...family.hooks.map((h) => h.name)])];
}

/** Whether a run is the one an event's expectations are about: its event, its hook, its label, or the hook its script is. */
export function runIsEvent(family: HookFamily, run: RunReport, event: string): boolean {
  // variant: which run of an event it is (OpenVPN's learn-address `delete`, a `restart`'s down and up).
  const r = run as RunReport & { event?: string; hook?: string; variant?: string };
  if (r.event === event || r.hook === event || r.label === event || r.variant === event) return true;
  return family.recognize(path.basename(run.script), [], true)?.hook.name === event;
}
