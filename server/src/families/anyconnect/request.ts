import type { EventRun, RequestSpec, SimulationRequest } from '../../protocol';

/** The events the seed's executor knows; reconnect and update run the OnConnect script. */
export const hookEvents = ['connect', 'disconnect', 'reconnect', 'update'] as const;
export type HookEvent = (typeof hookEvents)[number];

export interface AnyConnectRequest extends SimulationRequest {
  readonly kind: 'anyconnect';
  /** One event, or a sequence fired `gapMs` apart (TerminateScriptOnNextEvent applies between them). */
  readonly events: readonly HookEvent[];
  /** A profile file: its script elements, TerminateScriptOnNextEvent and first HostEntry are used. */
  readonly profile?: string;
  /** The script folder. Default: beside the profile (its folder, script/, scripts/). */
  readonly scripts?: string;
  /** Run this file for every event instead of choosing one (a CodeLens on a hook file). */
  readonly script?: string;
  /** Overrides the profile's TerminateScriptOnNextEvent. */
  readonly terminateOnNextEvent?: boolean;
}

export interface AnyConnectRun extends EventRun {
  readonly event: HookEvent;
}

/** The request's fields, as data for the one check. */
export const anyconnectRequest: RequestSpec = {
  kind: 'anyconnect',
  fields: [
    {
      name: 'events',
      type: 'list',
      role: 'events',
      values: hookEvents,
      item: 'event',
      required: true,
      doc: 'the events to fire, in order',
    },
    { name: 'script', type: 'path', doc: 'one hook to run for every event' },
    { name: 'profile', type: 'path', doc: 'the AnyConnect profile whose script elements choose the hooks' },
    { name: 'scripts', type: 'path', doc: 'the script folder' },
    { name: 'terminateOnNextEvent', type: 'boolean', doc: "overrides the profile's TerminateScriptOnNextEvent" },
  ],
};
