/**
 * What the hook-script fuzz targets share: the script linted at its path (alone in its folder),
 * each rule's range checked against what it must hold, and reduction of the input's text.
 */
import { Finding } from '../../server/src/diagnostics';
import { lintHook } from '../../server/src/hooks/lintHook';
import { findingProblems, reduceText } from './harness';

/** The hook at `path` (executable, no readable siblings): its findings, or undefined when no family claims it. */
export function lintHookAt(path: string, text: string): Finding[] | undefined {
  return lintHook({ path, text, mode: 0o755, siblings: [path.split('/').pop() as string], readSibling: () => undefined })?.findings;
}

/** findingProblems, and each finding whose rule says what its range holds (`rangeText`) checked against the text there. */
export function hookFindingProblems(text: string, findings: readonly Finding[], rangeText: Readonly<Record<string, RegExp>>): string[] {
  const problems = findingProblems(text, findings);
  for (const f of findings) {
    const expected = rangeText[f.code];
    const at = text.slice(f.start, f.end);
    if (expected && !expected.test(at)) problems.push(`${f.code} sits on ${JSON.stringify(at)}`);
  }
  return problems;
}

/** A smaller text for an input that carries one, the rest kept. */
export async function reduceInputText<I extends { readonly text: string }>(
  input: I,
  fails: (candidate: I) => Promise<boolean>,
): Promise<I> {
  return { ...input, text: await reduceText(input.text, (t) => fails({ ...input, text: t })) };
}
