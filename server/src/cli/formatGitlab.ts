import { Located } from './lintFiles';

const severities = { error: 'major', warning: 'minor', information: 'info', hint: 'info' } as const;

/**
 * GitLab's code quality report: the subset of the Code Climate format GitLab reads (description,
 * check_name, fingerprint, severity, location.path, location.lines.begin), paths relative to the
 * repository root. The fingerprint is stable across runs and unique in the report: the path, the
 * code, the message and which occurrence of those three it is (not the line, so moving code does
 * not make a finding new).
 */
export function formatGitlab(diagnostics: readonly Located[], relativeFile: (file: string) => string): string {
  // Loaded here, not imported: node:crypto costs every CLI start ~3 ms, and only this format hashes.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const seen = new Map<string, number>();
  const issues = diagnostics.map((d) => {
    const file = relativeFile(d.file);
    const key = JSON.stringify([file, d.code, d.message]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      type: 'issue',
      check_name: d.code,
      description: `${d.code}: ${d.message}`,
      categories: ['Bug Risk'],
      severity: severities[d.severity],
      fingerprint: createHash('sha256').update(`${key}#${occurrence}`).digest('hex'),
      location: { path: file, lines: { begin: d.line, end: d.endLine } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
