/**
 * A line-based reader for the `key = value` configuration files of hook families (ocserv.conf,
 * and the shapes OpenVPN and wg-quick use: `key value`, `[Section]`, `<ca>...</ca>`). It never
 * throws and never backtracks: each line is read once, with exact offsets into the text, so a
 * finding can sit on a key or a value. A line it cannot read is kept as such (with its span)
 * for the family to report; CRLF, a byte-order mark, NULs and a file of millions of lines are
 * all just text to it.
 */

/** How a family's config file is written. */
export interface KeyValueSyntax {
  /** What separates a key from its value: '=' (ocserv, wg-quick), or white space (OpenVPN). */
  readonly separator: '=' | 'whitespace';
  /** Characters that start a comment line (after leading blanks). */
  readonly comments: string;
  /** `[name]` lines open a section (wg-quick's [Interface], ocserv's [vhost:name]). */
  readonly sections?: boolean;
  /** `<tag>` ... `</tag>` blocks hold inline data, not keys (OpenVPN's <ca>). */
  readonly inlineBlocks?: boolean;
  /** Keys compare case-insensitively (wg-quick): `key` is then given in lower case. */
  readonly caseInsensitive?: boolean;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ConfigEntry {
  /** The key as the family compares it (lower case when the syntax says so). */
  readonly key: string;
  readonly keySpan: Span;
  /** The value, trimmed; '' for `key =`. */
  readonly value: string;
  readonly valueSpan: Span;
  /** The section the entry is in: undefined before the first section line. */
  readonly section: string | undefined;
  readonly sectionSpan: Span | undefined;
  /** 0-based line. */
  readonly line: number;
}

export interface BadLine {
  readonly span: Span;
  readonly line: number;
  readonly why: 'no-separator' | 'empty-key' | 'unclosed-section' | 'unclosed-block';
}

export interface ParsedConfig {
  readonly text: string;
  readonly entries: readonly ConfigEntry[];
  readonly bad: readonly BadLine[];
  /** Inline blocks (`<ca>`), by tag, with their spans. */
  readonly blocks: readonly { readonly tag: string; readonly span: Span }[];
  /** Section lines (`[vhost:x]`), in order, with their spans: a line without entries still starts one. */
  readonly sections: readonly { readonly name: string; readonly span: Span }[];
  /** The text began with U+FEFF (editors usually strip it; a file read from disk may keep it). */
  readonly bom: boolean;
}

/** Reads every line of `text`; offsets are UTF-16 code units into `text` as given. */
export function parseKeyValue(text: string, syntax: KeyValueSyntax): ParsedConfig {
  const entries: ConfigEntry[] = [];
  const bad: BadLine[] = [];
  const blocks: { tag: string; span: Span }[] = [];
  const sections: { name: string; span: Span }[] = [];
  const bom = text.charCodeAt(0) === 0xfeff;
  let section: { name: string; span: Span } | undefined;
  let block: { tag: string; start: number; line: number } | undefined;
  let lineNo = 0;
  for (let lineStart = bom ? 1 : 0; lineStart <= text.length; lineNo++) {
    const nl = text.indexOf('\n', lineStart);
    const next = nl < 0 ? text.length + 1 : nl + 1;
    let lineEnd = nl < 0 ? text.length : nl;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--; // CRLF
    const line = { start: lineStart, end: lineEnd, no: lineNo };
    lineStart = next;
    const content = trimmed(text, line.start, line.end);
    if (block) {
      if (text.slice(content.start, content.end) === `</${block.tag}>`) {
        blocks.push({ tag: block.tag, span: { start: block.start, end: content.end } });
        block = undefined;
      }
      continue;
    }
    if (content.start === content.end || syntax.comments.includes(text[content.start])) continue;
    if (syntax.inlineBlocks && text[content.start] === '<') {
      const m = /^<([A-Za-z][\w-]*)>$/.exec(text.slice(content.start, content.end));
      if (m) {
        block = { tag: m[1], start: content.start, line: line.no };
        continue;
      }
    }
    if (syntax.sections && text[content.start] === '[') {
      if (text[content.end - 1] !== ']') {
        bad.push({ span: content, line: line.no, why: 'unclosed-section' });
        continue;
      }
      const inner = trimmed(text, content.start + 1, content.end - 1);
      section = { name: text.slice(inner.start, inner.end), span: content };
      sections.push(section);
      continue;
    }
    const entry = readEntry(text, content, syntax);
    if ('why' in entry) {
      bad.push({ span: content, line: line.no, why: entry.why });
      continue;
    }
    // Named fields, not a spread: spreading a fresh object per line was most of the time on a large file.
    entries.push({
      key: entry.key,
      keySpan: entry.keySpan,
      value: entry.value,
      valueSpan: entry.valueSpan,
      section: section?.name,
      sectionSpan: section?.span,
      line: line.no,
    });
  }
  if (block) bad.push({ span: { start: block.start, end: text.length }, line: block.line, why: 'unclosed-block' });
  return { text, entries, bad, blocks, sections, bom };
}

function readEntry(
  text: string,
  content: Span,
  syntax: KeyValueSyntax,
): Pick<ConfigEntry, 'key' | 'keySpan' | 'value' | 'valueSpan'> | { why: BadLine['why'] } {
  let sep: number;
  let sepEnd: number;
  if (syntax.separator === '=') {
    sep = content.start; // within the line: indexOf could run on to a far line, quadratic on a huge file
    while (sep < content.end && text.charCodeAt(sep) !== 61) sep++;
    if (sep >= content.end) return { why: 'no-separator' };
    sepEnd = sep + 1;
  } else {
    sep = content.start;
    while (sep < content.end && !isBlank(text.charCodeAt(sep))) sep++;
    sepEnd = sep;
  }
  const keySpan = trimmed(text, content.start, sep);
  if (keySpan.start === keySpan.end) return { why: 'empty-key' };
  const valueSpan = trimmed(text, sepEnd, content.end);
  const raw = text.slice(keySpan.start, keySpan.end);
  return { key: syntax.caseInsensitive ? raw.toLowerCase() : raw, keySpan, value: text.slice(valueSpan.start, valueSpan.end), valueSpan };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0x0b || c === 0x0c;
}

/** The span without leading and trailing blanks (an empty span at `end` when all blank). */
function trimmed(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

/** A NUL in the first 8,192 characters: a binary file, not a config. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\0');
}
