// Writes package.json's contributes.configuration from server/src/settings.ts (the one schema).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { manifestConfiguration } = require('../out/server/src/settings.js');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
pkg.contributes.configuration = manifestConfiguration();
writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: contributes.configuration updated');
