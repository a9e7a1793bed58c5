/**
 * Test inputs mark expected ranges inline: «...» delimits a span. `marked` strips the markers
 * and returns the clean text with the offsets of each span, in order.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function marked(source: string): { text: string; spans: Span[] } {
  let text = '';
  const spans: Span[] = [];
  const open: number[] = [];
  for (const ch of source) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') spans.push({ start: open.pop() as number, end: text.length });
    else text += ch;
  }
  spans.sort((a, b) => a.start - b.start);
  return { text, spans };
}
