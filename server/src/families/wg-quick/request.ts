import type { HookRun, RequestSpec, SimulationRequest } from '../../protocol';
import { WgEvent, wgEvents } from './hooks';

export interface WgRequest extends SimulationRequest {
  readonly kind: 'wg-quick';
  /** wg-quick commands, in order: up runs PreUp then PostUp, down PreDown then PostDown. */
  readonly events: readonly WgEvent[];
  /** The config whose [Interface] hook lines run; its name (without .conf) is the interface. */
  readonly config: string;
}

/** A hook line's run: its command (up, down) is what a hook test's expectations sit under, its key (PostUp) too. */
export interface WgRun extends HookRun {
  readonly event: WgEvent;
}

export const wgRequest: RequestSpec = {
  kind: 'wg-quick',
  fields: [
    {
      name: 'events',
      type: 'list',
      role: 'events',
      values: wgEvents,
      item: 'command',
      required: true,
      doc: 'the wg-quick commands to run, in order',
    },
    { name: 'config', type: 'path', required: true, doc: 'the wg-quick config (wg0.conf) whose hook lines run' },
  ],
};
