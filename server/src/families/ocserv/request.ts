import type { EventRun, RequestSpec, SimulationRequest } from '../../protocol';
import { OcservEvent, ocservEvents } from './hooks';

export interface OcservRequest extends SimulationRequest {
  readonly kind: 'ocserv';
  /** In order; disconnect and host-update run only after a connect that admitted the user. */
  readonly events: readonly OcservEvent[];
  /** ocserv.conf: its script keys choose the scripts, its restrictions how they run. */
  readonly config?: string;
  /** Run this file for every event instead (a CodeLens on a script); with `config`, under that config's restrictions and session. */
  readonly script?: string;
  /** An IPv6-only session: no IP_LOCAL / IP_REMOTE. */
  readonly ipv6Only?: boolean;
}

export interface OcservRun extends EventRun {
  readonly event: OcservEvent;
}

export const ocservRequest: RequestSpec = {
  kind: 'ocserv',
  fields: [
    {
      name: 'events',
      role: 'events',
      type: 'list',
      values: ocservEvents,
      item: 'event',
      required: true,
      doc: 'the events (REASON values) to run, in order',
    },
    { name: 'script', type: 'path', doc: 'one script to run for every event' },
    { name: 'config', type: 'path', doc: 'the ocserv.conf whose script keys choose the scripts' },
    { name: 'ipv6Only', type: 'boolean', doc: 'an IPv6-only session (no IP_LOCAL, IP_REMOTE)' },
  ],
};
