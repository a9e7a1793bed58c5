import { XMLValidator } from 'fast-xml-parser';
import { Finding, finding } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';

/**
 * fast-xml-parser's validator as a second opinion on lexical well-formedness (name
 * characters, attribute syntax) that the scanner does not re-check. It stops at the first
 * error, so the scanner's own findings come first and this runs only when it found none.
 */
export function lexicalProblem(text: string, lines: LineIndex): Finding | undefined {
  const result = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (result === true) return undefined;
  const { msg, line, col } = result.err;
  const lineStart = lines.offsetAt({ line: Math.max(0, line - 1), character: 0 });
  const offset = lines.offsetAt({ line: Math.max(0, line - 1), character: Math.max(0, (col ?? 1) - 1) });
  const named = quotedNameBefore(text, msg, lineStart, offset);
  if (named) return finding('HS100', named.start, named.end, msg);
  return finding('HS100', offset, tokenEnd(text, offset), msg);
}

/**
 * fast-xml-parser's column often points past the offending name ("Tag 'a×b' is an invalid
 * name" points at the '/' after it). When the message quotes a name found on that line at or
 * before the column, the range covers the name itself.
 */
function quotedNameBefore(text: string, msg: string, lineStart: number, offset: number): { start: number; end: number } | undefined {
  const name = /'([^']+)'/.exec(msg)?.[1];
  if (!name) return undefined;
  const at = text.lastIndexOf(name, offset);
  return at >= lineStart ? { start: at, end: at + name.length } : undefined;
}

/** The range covers the token at the reported point, so the squiggle is visible. */
function tokenEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !/[\s<>="']/.test(text[i])) i++;
  return i > offset ? i : Math.min(text.length, offset + 1);
}
