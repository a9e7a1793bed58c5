// Writes the generated parts of package.json (settings, activation events, the families' commands,
// menus, task definition properties and snippets), snippets/*.json, the shared protocol's generated module,
// docs/rules/index.md and the hook test spec's JSON schema, from server/src (the settings schema,
// the families, the rule records, the spec's key tables).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { applyManifest, protocolModule, protocolModulePath, snippetFiles } = require('../out/server/src/manifest.js');
const { rulesIndexMarkdown } = require('../out/server/src/ruleIndex.js');
const { hooktestSchema, schemaPath } = require('../out/server/src/hooktest/schema.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
writeFileSync('package.json', JSON.stringify(applyManifest(pkg), null, 2) + '\n');
writeFileSync('docs/rules/index.md', rulesIndexMarkdown());
writeFileSync(protocolModulePath, protocolModule());
// snippets/ is generated whole: a language no family declares any more loses its file.
const snippets = snippetFiles();
for (const name of readdirSync('snippets')) if (!snippets.some((s) => s.path === `snippets/${name}`)) rmSync(`snippets/${name}`);
for (const s of snippets) writeFileSync(s.path, s.text);
mkdirSync('schemas', { recursive: true });
writeFileSync(schemaPath, JSON.stringify(hooktestSchema(), null, 2) + '\n');
console.log(`package.json, ${protocolModulePath}, snippets/, docs/rules/index.md and ${schemaPath} updated`);
