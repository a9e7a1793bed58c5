import { Finding, finding } from './diagnostics';

/**
 * At most `max` findings, the first ones in document order; when there are more, one HS113 on
 * the first finding left out says how many. An editor slows down on tens of thousands of
 * diagnostics (a generated profile with 160,000 unknown elements had as many), and the first
 * screenful is what a user fixes first.
 */
export function capFindings(findings: readonly Finding[], max: number): Finding[] {
  if (findings.length <= max) return [...findings];
  const ordered = [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept = ordered.slice(0, max);
  const first = ordered[max];
  kept.push(finding('HS113', first.start, first.end, moreProblems(ordered.length - max, max)));
  return kept;
}

/** HS113's message; `whose` names another tool's problems ("ShellCheck "). */
export function moreProblems(more: number, max: number, whose = ''): string {
  return `${more.toLocaleString('en-US')} more ${whose}problems from here on are not shown: only the first ${max.toLocaleString('en-US')} are (setting hooksmith.validate.maxProblems).`;
}
