import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../../server/src/cli/args';
import { defaultDocsBaseUrl } from '../../../server/src/cli/docsUrl';
import { formatSarif } from '../../../server/src/cli/formats';
import { ruleOf } from '../../../server/src/diagnostics';

interface SarifRule {
  id: string;
  helpUri: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { markdown: string };
}

const rulesOf = (sarif: string): SarifRule[] => JSON.parse(sarif).runs[0].tool.driver.rules;

test('SARIF rule metadata comes from the rule records, with an https helpUri', () => {
  const rules = rulesOf(formatSarif([], '1.0.0', { base: '/w', cwd: '/w', docsBaseUrl: defaultDocsBaseUrl }));
  const hs420 = rules.find((r) => r.id === 'HS420');
  const record = ruleOf('HS420');
  assert.ok(hs420 && record);
  assert.equal(hs420.shortDescription.text, record.title);
  assert.equal(hs420.fullDescription.text, record.summary);
  assert.match(
    hs420.help.markdown,
    /^\*\*HS420: Near miss of a Shorewall hook name\*\*\n\nA file in a Shorewall folder is named almost like an extension script/,
  );
  for (const r of rules) assert.match(r.helpUri, new RegExp(`^https://[^ ]+/docs/rules/${r.id}\\.md$`));
});

test('--docs-base-url points helpUri elsewhere; anything but an https URL is a usage error', () => {
  const args = parseArgs(['lint', '--format', 'sarif', '--docs-base-url', 'https://docs.example.org/hooksmith/rules', 'x']);
  assert.ok(args.command === 'lint');
  assert.equal(
    rulesOf(formatSarif([], '1', { base: '/w', cwd: '/w', docsBaseUrl: args.docsBaseUrl }))[0].helpUri,
    'https://docs.example.org/hooksmith/rules/HS100.md',
  );
  assert.throws(
    () => parseArgs(['lint', '--docs-base-url', 'file:///usr/share/doc', 'x']),
    /--docs-base-url must be an https:\/\/ address/,
  );
});
