import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';

/** The commands Shorewall's CLI runs that have run-time hooks. */
export const shorewallCommands = ['start', 'restart', 'reload', 'refresh', 'stop', 'clear', 'restore'] as const;
export type ShorewallCommand = (typeof shorewallCommands)[number];

export interface ShorewallRequest extends SimulationRequest {
  readonly kind: 'shorewall';
  readonly command: ShorewallCommand;
  /** The folder holding the hooks (CONFDIR), /etc/shorewall on a real machine. */
  readonly confdir: string;
  /** $1 for isusable and findgw; default eth0. */
  readonly interface?: string;
  /** A second command run after the first in the same sandbox (start, then stop): an up/down pair's state is compared. */
  readonly then?: ShorewallCommand;
}

export type ShorewallRun = HookRun;

/** The request's fields, as data for the one check. */
export const shorewallRequest: RequestSpec = {
  kind: 'shorewall',
  fields: [
    {
      name: 'command',
      type: 'choice',
      role: 'events',
      values: shorewallCommands,
      required: true,
      doc: 'the Shorewall command whose run-time hooks run',
    },
    { name: 'confdir', type: 'path', required: true, doc: 'the folder holding the hooks' },
    { name: 'interface', type: 'string', doc: '$1 for isusable and findgw (default eth0)' },
    {
      name: 'then',
      role: 'events',
      type: 'choice',
      values: shorewallCommands,
      doc: 'a second command run after the first in the same sandbox (start then stop: the report says whether the state was restored)',
    },
  ],
};
