import { Finding, finding } from './diagnostics';

/**
 * At most `max` findings, the first ones in document order; when there are more, one HS113 on
 * the first finding left out says how many. An editor slows down on tens of thousands of
 * diagnostics (a generated profile with 160,000 unknown elements had as many), and the first
 * screenful is what a user fixes first.
 */
export function capFindings(findings: readonly Finding[], max: number): Finding[] {
  return capInOrder(
    findings,
    max,
    (a, b) => a.start - b.start || a.end - b.end,
    (first, more) => finding('HS113', first.start, first.end, moreProblems(more, max)),
  );
}

/** The first `max` of `items` in the order `before` gives, then the `note` made on the first left out; all of them when they fit. */
export function capInOrder<T>(
  items: readonly T[],
  max: number,
  before: (a: T, b: T) => number,
  note: (firstLeftOut: T, more: number) => T,
): T[] {
  if (items.length <= max) return [...items];
  const ordered = [...items].sort(before);
  return [...ordered.slice(0, max), note(ordered[max], ordered.length - max)];
}

/** HS113's message; `whose` names another tool's problems ("ShellCheck "). */
export function moreProblems(more: number, max: number, whose = ''): string {
  return (
    `${more.toLocaleString('en-US')} more ${whose}problems from here on are not shown: only the first ` +
    `${max.toLocaleString('en-US')} are (setting hooksmith.validate.maxProblems).`
  );
}
