import * as path from 'node:path';
import { Recognized, SimulationLens } from '../family';
import { Action } from './hooks';
import { NmRequest, nmTimeoutMs } from './request';

/** The dispatcher.d folder of a script: its own folder, or the parent of pre-up.d, pre-down.d, no-wait.d. */
export function dispatcherDirOf(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return ['pre-up.d', 'pre-down.d', 'no-wait.d'].includes(path.basename(dir)) ? path.dirname(dir) : dir;
}

/** The pairs a script's folder takes part in: vpn-up then vpn-down and up then down (pre-up / pre-down for those folders). */
export function lensPairs(hook: string): Action[][] {
  if (hook === 'pre-up.d') return [['vpn-pre-up'], ['pre-up']];
  if (hook === 'pre-down.d') return [['vpn-pre-down'], ['pre-down']];
  return [
    ['vpn-up', 'vpn-down'],
    ['up', 'down'],
  ];
}

/** At the top of a script: its folder's actions through the whole dispatcher.d folder, as NetworkManager would run them. */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const dir = dispatcherDirOf(file);
  return lensPairs(recognized.hook.name).map((events, i) => ({
    start: 0,
    end: 0,
    title: `${i === 0 ? '▶ Simulate ' : ''}${events.join(' then ')}`,
    request: { kind: 'nm-dispatcher', events, dir, timeoutMs: nmTimeoutMs } satisfies NmRequest,
  }));
}
