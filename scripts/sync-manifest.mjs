// Writes the generated parts of package.json (settings, activation events, the families' commands,
// menus and task enums), docs/rules/index.md and the hook test spec's JSON schema, from server/src
// (the settings schema, the families, the rule records, the spec's key tables).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { applyManifest } = require('../out/server/src/manifest.js');
const { rulesIndexMarkdown } = require('../out/server/src/ruleIndex.js');
const { hooktestSchema, schemaPath } = require('../out/server/src/hooktest/schema.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('package.json', JSON.stringify(applyManifest(pkg), null, 2) + '\n');
writeFileSync('docs/rules/index.md', rulesIndexMarkdown());
mkdirSync('schemas', { recursive: true });
writeFileSync(schemaPath, JSON.stringify(hooktestSchema(), null, 2) + '\n');
console.log(`package.json, docs/rules/index.md and ${schemaPath} updated`);
