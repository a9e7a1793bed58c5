import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';
import { OpenvpnEvent, openvpnEvents } from './hooks';

export interface OpenvpnRequest extends SimulationRequest {
  readonly kind: 'openvpn';
  /** The script directives to run, in order (OpenVPN's names). */
  readonly events: readonly OpenvpnEvent[];
  /** The config whose script directives (and user, script-security, dev, ...) choose and shape the runs. */
  readonly config?: string;
  /** Run this file for every event instead (a CodeLens on a script, --script). */
  readonly script?: string;
}

export interface OpenvpnRun extends HookRun {
  readonly event: OpenvpnEvent;
  /** The arguments the program got: the directive's own words, then OpenVPN's. */
  readonly argv: readonly string[];
  /** The uid it ran as, when not root: down after the privilege drop. */
  readonly runAs?: string;
}

export const openvpnRequest: RequestSpec = {
  kind: 'openvpn',
  fields: [
    {
      name: 'events',
      type: 'list',
      values: openvpnEvents,
      item: 'event',
      required: true,
      doc: 'the script directives (script_type values) to run, in order',
    },
    { name: 'config', type: 'path', doc: 'the OpenVPN config whose script directives choose the scripts' },
    { name: 'script', type: 'path', doc: 'one script to run for every event' },
  ],
};
