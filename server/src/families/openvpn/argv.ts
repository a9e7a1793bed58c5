/**
 * A directive's value split into words as OpenVPN's parse_line splits a config line: white space
 * separates words; "double quotes" keep spaces and take backslash escapes; 'single quotes' keep
 * everything; a backslash outside quotes escapes the next character. No shell is involved: no
 * variables, no globs, no pipes.
 */
export interface Word {
  readonly text: string;
  /** Offsets into the value. */
  readonly start: number;
  readonly end: number;
}

export type Split = { readonly words: Word[] } | { readonly unclosed: { readonly quote: string; readonly at: number } };

export function splitArgs(value: string): Split {
  const words: Word[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i])) i++;
    if (i >= value.length) break;
    const start = i;
    let text = '';
    while (i < value.length && !/\s/.test(value[i])) {
      const c = value[i];
      if (c === '"' || c === "'") {
        const close = readQuoted(value, i);
        if (close === undefined) return { unclosed: { quote: c, at: i } };
        text += close.text;
        i = close.end;
      } else if (c === '\\' && i + 1 < value.length) {
        text += value[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, start, end: i });
  }
  return { words };
}

function readQuoted(value: string, open: number): { text: string; end: number } | undefined {
  const q = value[open];
  let text = '';
  for (let i = open + 1; i < value.length; i++) {
    const c = value[i];
    if (c === q) return { text, end: i + 1 };
    if (q === '"' && c === '\\' && i + 1 < value.length) {
      text += value[++i];
      continue;
    }
    text += c;
  }
  return undefined;
}
