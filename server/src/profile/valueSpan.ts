import { XmlElement } from '../xml/model';

export interface ValueSpan {
  /** The element's own text, decoded and trimmed. */
  readonly value: string;
  /** Offsets of the trimmed raw text in the document (start tag end when empty). */
  readonly start: number;
  readonly end: number;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/** The element's text content (children skipped), with the exact span of its non-blank part. */
export function valueSpan(element: Pick<XmlElement, 'texts' | 'startTagEnd'>, text: string): ValueSpan {
  const parts = element.texts;
  if (parts.length === 0) return { value: '', start: element.startTagEnd, end: element.startTagEnd };
  // The usual value: one run, nothing to trim (no string is made).
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && only.end > only.start && !isSpace(text[only.start]) && !isSpace(text[only.end - 1])) {
    const value = only.value;
    if (value !== '' && value.trim() === value) return { value, start: only.start, end: only.end };
  }
  let value = parts[0].value;
  for (let i = 1; i < parts.length; i++) value += parts[i].value;
  value = value.trim();
  if (value === '') return { value, start: element.startTagEnd, end: element.startTagEnd };
  let first = 0;
  while (parts[first].value.trim() === '') first++;
  let last = parts.length - 1;
  while (parts[last].value.trim() === '') last--;
  let start = parts[first].start;
  while (start < parts[first].end && isSpace(text[start])) start++;
  let end = parts[last].end;
  while (end > start && isSpace(text[end - 1])) end--;
  return { value, start, end };
}
