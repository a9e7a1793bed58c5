import { localName, XmlElement } from '../../xml/model';
import { scanXml } from '../../xml/scanner';
import { Recognized, SimulationLens } from '../family';
import { AnyConnectRequest } from './request';

const scriptElements: Readonly<Record<string, 'connect' | 'disconnect'>> = { OnConnectScript: 'connect', OnDisconnectScript: 'disconnect' };

/**
 * Over each script element of a profile (the seed's OnConnectScript / OnDisconnectScript) and over
 * EnableScripting (Cisco's client, which finds scripts by name): simulate that event, or both.
 */
export function profileLenses(text: string, profilePath: string): SimulationLens[] {
  const ci = scanXml(text).root?.children.find((c) => localName(c.name) === 'ClientInitialization');
  const lenses: SimulationLens[] = [];
  const request = (events: ('connect' | 'disconnect')[]): AnyConnectRequest => ({ kind: 'anyconnect', events, profile: profilePath });
  const children = ci?.children ?? [];
  for (const el of children) {
    const event = scriptElements[localName(el.name)];
    if (event) lenses.push(lens(el, `▶ Simulate ${event}`, request([event])));
  }
  const anchor = children.find((c) => localName(c.name) === 'EnableScripting') ?? children.find((c) => scriptElements[localName(c.name)]);
  if (anchor) lenses.push(lens(anchor, '▶ Simulate connect then disconnect', request(['connect', 'disconnect'])));
  return lenses;
}

/** At the top of a hook file: its own event. */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const event = recognized.hook.name === 'OnDisconnect' ? 'disconnect' : 'connect';
  const request: AnyConnectRequest = { kind: 'anyconnect', events: [event], script: file };
  return [{ start: 0, end: 0, title: `▶ Simulate ${event}`, request }];
}

function lens(el: XmlElement, title: string, request: AnyConnectRequest): SimulationLens {
  return { start: el.start, end: el.startTagEnd, title, request };
}
