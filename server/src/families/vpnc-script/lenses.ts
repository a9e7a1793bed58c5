import * as path from 'node:path';
import { Recognized, SimulationLens } from '../family';
import { Reason } from './hooks';
import { VpncRequest } from './request';

/** The reasons of a session with one reconnect, as openconnect sends them. */
export const sessionReasons: readonly Reason[] = ['pre-init', 'connect', 'attempt-reconnect', 'reconnect', 'disconnect'];

/** The script: connect then disconnect, and a whole session. A hook-folder file: its reason, through the stock layout it is in. */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const lens = (title: string, events: readonly Reason[], place: Pick<VpncRequest, 'script' | 'hooksDir'>): SimulationLens => ({
    start: 0,
    end: 0,
    title,
    request: { kind: 'vpnc-script', events, ...place } satisfies VpncRequest,
  });
  if (recognized.hook.runModel === 'sourced') {
    const hooksDir = path.dirname(path.dirname(file));
    const reason = recognized.hook.runBy[0] as Reason;
    const pair: Reason[] = reason === 'connect' || reason === 'disconnect' ? ['connect', 'disconnect'] : [reason];
    return [lens(`▶ Simulate ${pair.join(' then ')} (hook folders)`, pair, { hooksDir })];
  }
  return [
    lens('▶ Simulate connect then disconnect', ['connect', 'disconnect'], { script: file }),
    lens('whole session', sessionReasons, { script: file }),
  ];
}
