import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';
import { Reason, reasons } from './hooks';

export interface VpncRequest extends SimulationRequest {
  readonly kind: 'vpnc-script';
  /** The reasons openconnect runs the script with, in order. */
  readonly events: readonly Reason[];
  /** The script openconnect's --script names (run as /bin/sh -c would). */
  readonly script?: string;
  /** The folder holding the stock script's hook folders (/etc/vpnc): they are sourced in the stock script's order. */
  readonly hooksDir?: string;
}

export type VpncRun = HookRun;

/** The request's fields, as data for the one check. */
export const vpncRequest: RequestSpec = {
  kind: 'vpnc-script',
  fields: [
    {
      name: 'events',
      role: 'events',
      type: 'list',
      values: reasons,
      item: 'reason',
      required: true,
      doc: 'the reasons openconnect runs the script with, in order',
    },
    { name: 'script', type: 'path', doc: "the script openconnect's --script names" },
    { name: 'hooksDir', type: 'path', doc: 'the folder holding the hook folders (connect.d, disconnect.d, ...), as /etc/vpnc' },
  ],
};
