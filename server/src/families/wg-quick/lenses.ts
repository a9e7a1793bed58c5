import { ParsedConfig } from '../../config/keyValue';
import { SimulationLens } from '../family';
import { hookLines } from './lines';
import { WgRequest } from './request';

/** Over the config's first hook line: up then down; over the first line of each command's keys: that command. */
export function configLenses(config: ParsedConfig, file: string): SimulationLens[] {
  const lines = hookLines(config).filter((l) => l.inInterface);
  if (!lines.length) return [];
  const lens = (at: (typeof lines)[number], title: string, events: WgRequest['events']): SimulationLens => ({
    start: at.entry.keySpan.start,
    end: at.entry.keySpan.end,
    title,
    request: { kind: 'wg-quick', events, config: file } satisfies WgRequest,
  });
  const firstUp = lines.find((l) => l.key === 'PreUp' || l.key === 'PostUp');
  const firstDown = lines.find((l) => l.key === 'PreDown' || l.key === 'PostDown');
  return [
    lens(lines[0], '▶ Simulate wg-quick up then down', ['up', 'down']),
    ...(firstUp ? [lens(firstUp, 'up', ['up'])] : []),
    ...(firstDown ? [lens(firstDown, 'down', ['down'])] : []),
  ];
}
