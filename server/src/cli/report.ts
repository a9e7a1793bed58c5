import { Severity } from '../diagnostics';
import { FailOn, LintArgs } from './args';
import { reportBase, relativeInside } from './baseDir';
import { FileCounts, formatJson, formatSarif, formatText } from './formats';
import { formatGcc } from './formatGcc';
import { formatGithub } from './formatGithub';
import { formatGitlab } from './formatGitlab';
import { Located } from './lintFiles';

/** The lint report in the chosen format. */
export function formatReport(
  args: LintArgs,
  diagnostics: readonly Located[],
  counts: FileCounts,
  version: string,
  cwd = process.cwd(),
): string {
  switch (args.format) {
    case 'json':
      return formatJson(diagnostics);
    case 'gcc':
      return formatGcc(diagnostics);
    case 'text':
      return formatText(diagnostics, counts);
    case 'sarif':
      return formatSarif(diagnostics, version, { base: reportBase(cwd, args.baseDir), cwd, docsBaseUrl: args.docsBaseUrl });
    case 'github':
      return formatGithub(diagnostics, fromBase(args, cwd));
    case 'gitlab':
      return formatGitlab(diagnostics, fromBase(args, cwd));
  }
}

/** A file named relative to cwd, as a path relative to the repository root (as given when outside it). */
function fromBase(args: LintArgs, cwd: string): (file: string) => string {
  const base = reportBase(cwd, args.baseDir);
  return (file) => relativeInside(base, cwd, file) ?? file;
}

const rank: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 1 };
const threshold: Record<FailOn, number> = { error: 3, warning: 2, note: 1 };

/** The most severe of these severities (undefined ones are none). */
export function mostSevere(items: readonly { readonly severity: Severity | undefined }[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const { severity } of items) if (severity && (!worst || rank[severity] > rank[worst])) worst = severity;
  return worst;
}

/**
 * 1 when a finding is at or above --fail-on, else 0. `alsoSeen` is the worst severity among
 * findings that --max-problems left out of the report: they count all the same.
 */
export function findingsStatus(diagnostics: readonly Located[], failOn: FailOn, alsoSeen?: Severity): 0 | 1 {
  const worst = mostSevere([...(alsoSeen ? [{ severity: alsoSeen }] : []), { severity: mostSevere(diagnostics) }]);
  return worst && rank[worst] >= threshold[failOn] ? 1 : 0;
}
