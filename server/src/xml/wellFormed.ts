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
  const offset = lines.offsetAt({ line: Math.max(0, line - 1), character: Math.max(0, (col ?? 1) - 1) });
  return finding('HS100', offset, tokenEnd(text, offset), msg);
}

/** The range covers the token at the reported point, so the squiggle is visible. */
function tokenEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !/[\s<>="']/.test(text[i])) i++;
  return i > offset ? i : Math.min(text.length, offset + 1);
}
