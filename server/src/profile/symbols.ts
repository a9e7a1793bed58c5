import { scanXml } from '../xml/scanner';
import { localName, XmlElement } from '../xml/model';
import { specOf } from './cursor';
import { valueSpan } from './valueSpan';

/** One outline entry: an element, named by its tag or by the child the schema names it by. */
export interface ProfileSymbol {
  readonly name: string;
  readonly detail: string;
  /** Containers hold other elements; preferences hold a value. */
  readonly kind: 'container' | 'value';
  readonly start: number;
  readonly end: number;
  readonly selectionStart: number;
  readonly selectionEnd: number;
  readonly children: readonly ProfileSymbol[];
}

/** The outline of a profile: ClientInitialization and its preferences, ServerList and each HostEntry by its HostName. */
export function profileSymbols(text: string): ProfileSymbol[] {
  return scanXml(text).roots.map((e) => symbolOf(e, text));
}

function symbolOf(element: XmlElement, text: string): ProfileSymbol {
  const value = valueSpan(element, text).value;
  const named = namingChild(element);
  const label = named ? valueSpan(named, text).value : '';
  const end = Math.max(element.end, element.startTagEnd);
  return {
    name: label || element.name,
    detail: label ? element.name : value.length > 60 ? `${value.slice(0, 59)}…` : value,
    kind: element.children.length ? 'container' : 'value',
    start: element.start,
    end,
    selectionStart: named && label ? named.start : element.start + 1,
    selectionEnd: named && label ? Math.max(named.end, named.startTagEnd) : element.nameEnd,
    children: element.children.map((c) => symbolOf(c, text)),
  };
}

function namingChild(element: XmlElement): XmlElement | undefined {
  const by = specOf(element)?.outlineName;
  return by ? element.children.find((c) => localName(c.name) === by) : undefined;
}
