import { ParsedConfig } from '../../config/keyValue';
import { Recognized, SimulationLens } from '../family';
import { scriptDirectives } from './config';
import { dashless } from './dashless';
import { OpenvpnEvent } from './hooks';
import { OpenvpnRequest } from './request';

/** At the top of a script: up then down when it runs for both, and each of its events. */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const events = recognized.hook.runBy as OpenvpnEvent[];
  const lens = (evs: OpenvpnEvent[], title: string): SimulationLens => ({
    start: 0,
    end: 0,
    title,
    request: { kind: 'openvpn', events: evs, script: file } satisfies OpenvpnRequest,
  });
  const pair: OpenvpnEvent[] = events.includes('up') && events.includes('down') ? ['up', 'down'] : [];
  return [
    ...(pair.length ? [lens(pair, '▶ Simulate OpenVPN up then down')] : []),
    ...events.map((e, i) => lens([e], pair.length || i > 0 ? e : `▶ Simulate OpenVPN ${e}`)),
  ];
}

/** In the config, over `up`: up then down through the config; over each script directive: its event. */
export function configLenses(config: ParsedConfig, file: string): SimulationLens[] {
  const request = (events: OpenvpnEvent[]): OpenvpnRequest => ({ kind: 'openvpn', events, config: file });
  const seen = new Set<string>();
  return dashless(config)
    .entries.filter((e) => scriptDirectives.has(e.key) && !seen.has(e.key) && seen.add(e.key))
    .flatMap((e) => {
      const event = e.key as OpenvpnEvent;
      const at = { start: e.keySpan.start, end: e.keySpan.end };
      const own = { ...at, title: `▶ Simulate ${event}`, request: request([event]) };
      return event === 'up' ? [{ ...at, title: '▶ Simulate up then down', request: request(['up', 'down']) }, own] : [own];
    });
}
