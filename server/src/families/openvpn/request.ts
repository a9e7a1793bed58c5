import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';
import { OpenvpnEvent, openvpnEvents } from './hooks';

/** learn-address's operations: `add` and `update` pass op addr cn, `delete` op addr only. */
export const learnAddressOps = ['add', 'update', 'delete'] as const;
export type LearnAddressOp = (typeof learnAddressOps)[number];

/**
 * What a request's events may name: the script directives, and `restart` (a SIGUSR1 or ping-restart:
 * down then up again, as OpenVPN runs them for the config's persist-tun and up-restart).
 */
export type OpenvpnStep = OpenvpnEvent | 'restart';
export const openvpnSteps: readonly OpenvpnStep[] = [...openvpnEvents, 'restart'];

export interface OpenvpnRequest extends SimulationRequest {
  readonly kind: 'openvpn';
  /** The script directives to run, in order (OpenVPN's names), and `restart`. */
  readonly events: readonly OpenvpnStep[];
  /** learn-address runs once per operation, in this order (default: add). */
  readonly learnAddressOps?: readonly LearnAddressOp[];
  /**
   * The subjects of the peer's certificate chain, its CA first and the peer last: tls-verify runs once
   * per certificate, from the highest depth down to 0 (default: a CA and the client).
   */
  readonly tlsChain?: readonly string[];
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
  /** Which run of the directive this is: learn-address's op, tls-verify's depth (`depth 1`), `restart`. */
  readonly variant?: string;
}

export const openvpnRequest: RequestSpec = {
  kind: 'openvpn',
  fields: [
    {
      name: 'events',
      role: 'events',
      type: 'list',
      values: openvpnSteps,
      item: 'event',
      required: true,
      doc: 'the script directives (script_type values) to run, in order; restart: a SIGUSR1 restart (down, then up again)',
    },
    {
      name: 'learnAddressOps',
      role: 'events',
      type: 'list',
      values: learnAddressOps,
      item: 'operation',
      doc: 'the operations learn-address runs with, in order (default add); delete passes no common name',
      ask: {
        title: 'Hooksmith: learn-address runs with which operations, in order?',
        whenEvent: 'learn-address',
        choices: [
          { label: 'add', description: "a client's address is learnt (op, address, common name)", value: ['add'] },
          {
            label: 'add, then delete',
            description: 'the address is learnt, then forgotten (delete: no common name)',
            value: ['add', 'delete'],
          },
          {
            label: 'add, update, delete',
            description: 'learnt, taken over by another client, forgotten',
            value: ['add', 'update', 'delete'],
          },
        ],
      },
    },
    {
      name: 'tlsChain',
      type: 'list',
      item: 'certificate subject',
      doc: "the subjects of the peer's certificate chain, its CA first and the peer last: tls-verify runs once per certificate",
    },
    { name: 'config', type: 'path', doc: 'the OpenVPN config whose script directives choose the scripts' },
    { name: 'script', type: 'path', doc: 'one script to run for every event' },
  ],
};
