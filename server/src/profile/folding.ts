import { LineIndex } from '../text/lineIndex';
import { scanXml } from '../xml/scanner';
import { XmlElement } from '../xml/model';

export interface FoldRange {
  readonly startLine: number;
  /** The last line folded away: the end tag's line stays visible. */
  readonly endLine: number;
  readonly kind?: 'comment';
}

/** Folds for elements that span lines and for multi-line comments. */
export function profileFolds(text: string): FoldRange[] {
  const lines = new LineIndex(text);
  const folds: FoldRange[] = [];
  const visit = (e: XmlElement): void => {
    const startLine = lines.positionAt(e.start).line;
    const endLine = lines.positionAt(Math.max(e.end, e.startTagEnd)).line - (e.closed ? 1 : 0);
    if (endLine > startLine) folds.push({ startLine, endLine });
    e.children.forEach(visit);
  };
  scanXml(text).roots.forEach(visit);
  return [...folds, ...commentFolds(text, lines)].sort((a, b) => a.startLine - b.startLine);
}

/** Comments, found the way the scanner skips them: CDATA sections are stepped over, not searched. */
function commentFolds(text: string, lines: LineIndex): FoldRange[] {
  const folds: FoldRange[] = [];
  for (const m of text.matchAll(/<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)/g)) {
    if (!m[0].startsWith('<!--')) continue;
    const startLine = lines.positionAt(m.index).line;
    const endLine = lines.positionAt(m.index + m[0].length).line;
    if (endLine > startLine) folds.push({ startLine, endLine, kind: 'comment' });
  }
  return folds;
}
