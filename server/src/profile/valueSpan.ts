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
export function valueSpan(element: XmlElement, text: string): ValueSpan {
  const parts = element.texts;
  let value = '';
  for (const part of parts) value += part.value;
  value = value.trim();
  const first = parts.find((p) => p.value.trim() !== '');
  const last = [...parts].reverse().find((p) => p.value.trim() !== '');
  if (!first || !last) return { value: '', start: element.startTagEnd, end: element.startTagEnd };
  let start = first.start;
  while (start < first.end && isSpace(text[start])) start++;
  let end = last.end;
  while (end > start && isSpace(text[end - 1])) end--;
  return { value, start, end };
}
