/**
 * docs/rules/index.md, generated from the rule records (`npm run sync:manifest`; a test keeps the
 * file equal). Each rule's own page (docs/rules/<code>.md) is written by hand.
 */
import { allRules, RuleRecord } from './diagnostics';
import { families } from './families/registry';

const severities: Readonly<Record<RuleRecord['severity'], string>> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Information',
  hint: 'Hint',
};

export function rulesIndexMarkdown(): string {
  const ids = families.map((f) => `\`${f.id}\``).join(', ');
  const lines = [
    '# Hooksmith rules',
    '',
    'Every diagnostic Hooksmith reports carries one of these codes. The severity shown is the default; ' +
      '[HS107](HS107.md) and [HS212](HS212.md) explain when it differs.',
    '',
    'Settings that change what is reported:',
    '',
    '- `hooksmith.profile.dialect` (`auto` | `cisco` | `seed`; CLI `--dialect`): [HS212](HS212.md) is information ' +
      'in `auto`, an error in `cisco`, and not reported in `seed`.',
    '- `hooksmith.validate.maxFileSizeMB` (CLI `--max-size-mb`): the size limit of [HS111](HS111.md).',
    '- `hooksmith.validate.maxProblems` (editor only; the CLI reports every problem): the limit of [HS113](HS113.md).',
    '- `hooksmith.profile.scriptFolders` (CLI `--script-folder`): extra folders searched by [HS304](HS304.md).',
    `- \`hooksmith.hooks.families\` (CLI \`--family\`): maps folders or globs to a hook family (${ids}), for hooks ` +
      `kept outside the places described under [Hook scripts](#hook-scripts-hs4xx); a hook in a mapped folder needs ` +
      `no folder name or configuration file of its family.`,
  ];
  let hooksHeading = false;
  for (const [group, rules] of groups()) {
    const code = Number(rules[0].code.slice(2));
    const hook = code >= 400 && code < 800; // HS8xx (hook test specs) are a section of their own
    if (hook && !hooksHeading) {
      hooksHeading = true;
      lines.push(
        '',
        '## Hook scripts (HS4xx)',
        '',
        `${families.map((f) => f.recognitionDoc).join(' ')} Findings about the file as a whole sit on its first line.`,
      );
    }
    lines.push('', `${hook ? '###' : '##'} ${group}`, '', '| Code | Title | Default severity |', '| --- | --- | --- |');
    for (const r of rules) lines.push(`| [${r.code}](${r.code}.md) | ${r.title} | ${severities[r.severity]} |`);
  }
  return lines.join('\n') + '\n';
}

/** Rules by their group, groups in the order of their first code. */
function groups(): [string, RuleRecord[]][] {
  const byGroup = new Map<string, RuleRecord[]>();
  for (const r of allRules()) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  return [...byGroup.entries()];
}
