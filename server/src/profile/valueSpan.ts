import { XmlElement, XmlText } from '../xml/model';

export interface ValueSpan {
  /** The element's own text, decoded and trimmed. */
  readonly value: string;
  /** Offsets of the trimmed raw text in the document (start tag end when empty). */
  readonly start: number;
  readonly end: number;
}

/** XML white space, by character code (NaN, past either end of the text, is not). */
const isXmlSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The element's text content (children skipped), with the exact span of its non-blank part. */
export function valueSpan(element: Pick<XmlElement, 'texts' | 'startTagEnd'>, text: string): ValueSpan {
  const parts = element.texts;
  if (parts.length === 0) return { value: '', start: element.startTagEnd, end: element.startTagEnd };
  if (parts.length === 1) return oneRun(parts[0], element.startTagEnd, text);
  let value = parts[0].value;
  for (let i = 1; i < parts.length; i++) value += parts[i].value;
  value = value.trim();
  if (value === '') return { value, start: element.startTagEnd, end: element.startTagEnd };
  let first = 0;
  while (parts[first].value.trim() === '') first++;
  let last = parts.length - 1;
  while (parts[last].value.trim() === '') last--;
  return { value, ...trimmed(text, parts[first].start, parts[first].end, parts[last].end) };
}

/** What the general case makes of a single run, with one trim instead of three. */
function oneRun(only: XmlText, startTagEnd: number, text: string): ValueSpan {
  // The usual value: nothing to trim (no string is made).
  if (only.end > only.start && !isXmlSpace(text.charCodeAt(only.start)) && !isXmlSpace(text.charCodeAt(only.end - 1))) {
    const value = only.value;
    if (value !== '' && value.trim() === value) return { value, start: only.start, end: only.end };
  }
  const value = only.value.trim();
  if (value === '') return { value, start: startTagEnd, end: startTagEnd };
  return { value, ...trimmed(text, only.start, only.end, only.end) };
}

/** The span from `start` (the first non-blank run's start, before `firstEnd`) to `end`, without the white space at either end. */
function trimmed(text: string, start: number, firstEnd: number, end: number): { start: number; end: number } {
  while (start < firstEnd && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}
