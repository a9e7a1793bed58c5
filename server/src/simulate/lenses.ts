import * as path from 'node:path';
import { Recognized } from '../families/family';
import { localName, XmlElement } from '../xml/model';
import { scanXml } from '../xml/scanner';
import { ShorewallCommand, shorewallCommands } from '../families/shorewall/request';
import { SimulationRequest } from '../protocol';

/** A place in a document where a simulation can be started, and the complete request it starts. */
export interface SimulationLens {
  /** Offsets of what the lens sits over. */
  readonly start: number;
  readonly end: number;
  readonly title: string;
  readonly request: SimulationRequest;
}

const scriptElements: Readonly<Record<string, 'connect' | 'disconnect'>> = { OnConnectScript: 'connect', OnDisconnectScript: 'disconnect' };

/**
 * Over each script element of a profile (the seed's OnConnectScript / OnDisconnectScript) and over
 * EnableScripting (Cisco's client, which finds scripts by name): simulate that event, or both.
 */
export function profileLenses(text: string, profilePath: string): SimulationLens[] {
  const ci = scanXml(text).root?.children.find((c) => localName(c.name) === 'ClientInitialization');
  const lenses: SimulationLens[] = [];
  const request = (events: ('connect' | 'disconnect')[]): SimulationRequest => ({ kind: 'anyconnect', events, profile: profilePath });
  const children = ci?.children ?? [];
  for (const el of children) {
    const event = scriptElements[localName(el.name)];
    if (event) lenses.push(lens(el, `▶ Simulate ${event}`, request([event])));
  }
  const anchor = children.find((c) => localName(c.name) === 'EnableScripting') ?? children.find((c) => scriptElements[localName(c.name)]);
  if (anchor) lenses.push(lens(anchor, '▶ Simulate connect then disconnect', request(['connect', 'disconnect'])));
  return lenses;
}

/** At the top of a hook file: the events (AnyConnect) or Shorewall commands that run it. */
export function hookLenses(file: string, recognized: Recognized): SimulationLens[] {
  const top = (title: string, request: SimulationRequest): SimulationLens => ({ start: 0, end: 0, title, request });
  if (recognized.family.id === 'anyconnect') {
    const event = recognized.hook.name === 'OnDisconnect' ? 'disconnect' : 'connect';
    return [top(`▶ Simulate ${event}`, { kind: 'anyconnect', events: [event], script: file })];
  }
  if (recognized.family.id !== 'shorewall') return [];
  const { runModel, runBy } = recognized.hook;
  if (runModel !== 'function-body' && runModel !== 'library') return []; // compile-time Perl and CLI tools are not simulated
  const commands: readonly ShorewallCommand[] = runModel === 'library' ? ['start', 'stop'] : shorewallCommands.filter((c) => runBy.includes(c));
  return commands.map((command, i) => top(i === 0 ? `▶ Simulate shorewall ${command}` : command, { kind: 'shorewall', command, confdir: path.dirname(file) }));
}

function lens(el: XmlElement, title: string, request: SimulationRequest): SimulationLens {
  return { start: el.start, end: el.startTagEnd, title, request };
}
