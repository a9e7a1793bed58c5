import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root } from './packed';

/**
 * The README's code block in `lang` under the heading `### <section>` (before the next heading of that
 * level), the first one that contains `marker`: the recipe a user copies, for a test to run as written.
 */
export function readmeBlock(section: string, lang: string, marker = ''): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n### ${section}\n`);
  assert.ok(at >= 0, `the README has a "### ${section}" section`);
  const end = readme.indexOf('\n### ', at + 1);
  const blocks = [...readme.slice(at, end < 0 ? undefined : end).matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))];
  const block = blocks.map((m) => m[1]).find((b) => b.includes(marker));
  assert.ok(block !== undefined, `a ${lang} block${marker ? ` with ${marker}` : ''} under "### ${section}"`);
  return block;
}
