/**
 * ShellCheck counts lines at \n only (a \r is a character of its line) and columns in code
 * points; an editor counts UTF-16 code units. This maps ShellCheck's positions to offsets of
 * the same text, from which the document derives LSP positions.
 */
export class CodePointLines {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The UTF-16 offset of a 1-based line and code-point column; a column past the line's end stops there, before its \n. */
  offset(line: number, column: number): number {
    if (line < 1) return 0;
    if (line > this.starts.length) return this.text.length;
    const end = line < this.starts.length ? this.starts[line] - 1 : this.text.length;
    let i = this.starts[line - 1];
    for (let n = 1; n < column && i < end; n++) i += isPairAt(this.text, i) ? 2 : 1;
    return Math.min(i, end);
  }
}

/** A surrogate pair (one code point, two code units) starts at `i`; a lone surrogate counts as one, as ShellCheck reads its U+FFFD. */
function isPairAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  const lo = text.charCodeAt(i + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}
