import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';
import { Action, actions, Stack, stacks } from './hooks';

export interface NmRequest extends SimulationRequest {
  readonly kind: 'nm-dispatcher';
  /** The actions NetworkManager dispatches, in order. */
  readonly events: readonly Action[];
  /** The dispatcher.d folder (holding pre-up.d, pre-down.d, no-wait.d), as /etc/NetworkManager/dispatcher.d. */
  readonly dir: string;
  /** The interface the actions are about: VPN_IP_IFACE for vpn- actions, the device otherwise ($1). */
  readonly interface?: string;
  /** The mocked connections' addressing: dual (IPv4 and IPv6, the default) or ipv4 (no IP6_ variables). */
  readonly stack?: Stack;
}

export type NmRun = HookRun;

/** NetworkManager kills a dispatcher script after 600 s (nm-dispatcher.c SCRIPT_TIMEOUT): the family's requests start with it. */
export const nmTimeoutMs = 600_000;

/** The request's fields, as data for the one check. */
export const nmRequest: RequestSpec = {
  kind: 'nm-dispatcher',
  fields: [
    {
      name: 'events',
      role: 'events',
      type: 'list',
      values: actions,
      item: 'action',
      required: true,
      doc: 'the actions NetworkManager dispatches, in order',
    },
    { name: 'dir', type: 'path', required: true, doc: 'the dispatcher.d folder, as /etc/NetworkManager/dispatcher.d' },
    { name: 'interface', type: 'string', doc: 'the interface ($1): the VPN interface for vpn- actions, the device otherwise' },
    {
      name: 'stack',
      type: 'choice',
      values: stacks,
      doc: "the connections' addressing: dual (IPv4 and IPv6 variables, the default) or ipv4 (no IP6_ / VPN_IP6_ variables)",
    },
  ],
};
