// Writes the generated parts of package.json (settings, activation events, the families' commands,
// menus and task enums) and docs/rules/index.md, from server/src (the settings schema, the
// families, the rule records).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { applyManifest } = require('../out/server/src/manifest.js');
const { rulesIndexMarkdown } = require('../out/server/src/ruleIndex.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('package.json', JSON.stringify(applyManifest(pkg), null, 2) + '\n');
writeFileSync('docs/rules/index.md', rulesIndexMarkdown());
console.log('package.json and docs/rules/index.md updated');
