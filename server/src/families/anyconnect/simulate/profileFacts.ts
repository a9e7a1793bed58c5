import { valueSpan } from '../../../profile/valueSpan';
import { localName, XmlElement } from '../../../xml/model';
import { scanXml } from '../../../xml/scanner';

export type ScriptEvent = 'OnConnect' | 'OnDisconnect';

/** What a simulation reads from a profile: the parts the script executor acts on. */
export interface ProfileFacts {
  /** Seed dialect: the file named by <OnConnectScript> / <OnDisconnectScript>. */
  readonly scripts: Partial<Record<ScriptEvent, string>>;
  /** The value and where it was found (the seed reads it under ClientInitialization, Cisco inside EnableScripting). */
  readonly terminateOnNextEvent?: { readonly value: boolean; readonly where: 'ClientInitialization' | 'EnableScripting' };
  /** undefined when the element is absent (Cisco's client then runs no scripts). */
  readonly enableScripting?: boolean;
  /** The first HostEntry's address (or its HostName when it has none). */
  readonly server?: { readonly value: string; readonly from: 'HostAddress' | 'HostName' };
}

/** Reads the facts leniently: a half-broken profile still yields what it holds. */
export function readProfileFacts(text: string): ProfileFacts {
  const root = scanXml(text).root;
  if (!root || localName(root.name) !== 'AnyConnectProfile') return { scripts: {} };
  const ci = child(root, 'ClientInitialization');
  const enable = ci && child(ci, 'EnableScripting');
  const value = (el: XmlElement | undefined): string | undefined => (el ? valueSpan(el, text).value : undefined);
  const scripts: Partial<Record<ScriptEvent, string>> = {};
  const onConnect = value(ci && child(ci, 'OnConnectScript'));
  const onDisconnect = value(ci && child(ci, 'OnDisconnectScript'));
  if (onConnect) scripts.OnConnect = onConnect;
  if (onDisconnect) scripts.OnDisconnect = onDisconnect;
  return {
    scripts,
    terminateOnNextEvent: terminateSetting(
      value(ci && child(ci, 'TerminateScriptOnNextEvent')),
      value(enable && child(enable, 'TerminateScriptOnNextEvent')),
    ),
    enableScripting: enable ? value(enable) === 'true' : undefined,
    server: firstServer(root, text),
  };
}

function terminateSetting(seed: string | undefined, cisco: string | undefined): ProfileFacts['terminateOnNextEvent'] {
  if (seed === 'true' || seed === 'false') return { value: seed === 'true', where: 'ClientInitialization' };
  if (cisco === 'true' || cisco === 'false') return { value: cisco === 'true', where: 'EnableScripting' };
  return undefined;
}

function firstServer(root: XmlElement, text: string): ProfileFacts['server'] {
  const entry = child(child(root, 'ServerList'), 'HostEntry');
  for (const from of ['HostAddress', 'HostName'] as const) {
    const el = child(entry, from);
    const value = el && valueSpan(el, text).value;
    if (value) return { value, from };
  }
  return undefined;
}

function child(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return parent?.children.find((c) => localName(c.name) === name);
}
