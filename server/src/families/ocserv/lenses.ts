import { ParsedConfig } from '../../config/keyValue';
import { Recognized, SimulationLens } from '../family';
import { OcservEvent } from './hooks';
import { OcservRequest } from './request';

/**
 * At the top of a script: the events it runs for (connect then disconnect when it runs for both). A script an
 * ocserv.conf wires runs with that config too: its restrictions (ocserv-fw's /bin/sh) and its session values.
 */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const events = recognized.hook.runBy as OcservEvent[];
  const config = recognized.wiredBy?.[0]?.config;
  const lens = (evs: OcservEvent[], title: string): SimulationLens => ({
    start: 0,
    end: 0,
    title,
    request: { kind: 'ocserv', events: evs, script: file, ...(config ? { config } : {}) } satisfies OcservRequest,
  });
  const pair: OcservEvent[] = events.includes('connect') && events.includes('disconnect') ? ['connect', 'disconnect'] : [];
  return [
    ...(pair.length ? [lens(pair, '▶ Simulate ocserv connect then disconnect')] : []),
    ...events.map((e, i) => lens([e], pair.length || i > 0 ? e : `▶ Simulate ocserv ${e}`)),
  ];
}

/** In ocserv.conf, over connect-script: connect then disconnect through the config; over each script key: its event. */
export function configLenses(config: ParsedConfig, file: string): SimulationLens[] {
  const request = (events: OcservEvent[]): OcservRequest => ({ kind: 'ocserv', events, config: file });
  return config.entries
    .filter((e) => e.section === undefined && /^(connect|disconnect|host-update)-script$/.test(e.key))
    .flatMap((e) => {
      const event = e.key.replace(/-script$/, '') as OcservEvent;
      const at = { start: e.keySpan.start, end: e.keySpan.end };
      const own = { ...at, title: `▶ Simulate ${event}`, request: request([event]) };
      return event === 'connect'
        ? [{ ...at, title: '▶ Simulate connect then disconnect', request: request(['connect', 'disconnect']) }, own]
        : [own];
    });
}
