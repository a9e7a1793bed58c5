import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { maxMessageBytes } from '../../server/src/lsp/messageCap';
import { defaultSettings, manifestConfiguration, readSettings, settingsPrefix } from '../../server/src/settings';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('package.json contributes exactly the settings of the schema module (run npm run sync:manifest)', () => {
  assert.deepEqual(pkg.contributes.configuration, manifestConfiguration());
});

test('every setting is under the hooksmith prefix, with a markdownDescription and a scope', () => {
  for (const [key, spec] of Object.entries<Record<string, unknown>>(pkg.contributes.configuration.properties)) {
    assert.ok(key.startsWith(`${settingsPrefix}.`), key);
    assert.equal(typeof spec.markdownDescription, 'string', key);
    assert.ok(['application', 'machine', 'window', 'resource', 'machine-overridable'].includes(spec.scope as string), key);
  }
});

test('invalid values a client sends fall back to the defaults', () => {
  assert.deepEqual(readSettings(undefined), defaultSettings);
  const s = readSettings({
    validate: { run: 'always', maxFileSizeMB: 'ten' },
    profile: { dialect: 'seed', files: ['a', 3, ''], scriptFolders: 'x' },
  });
  assert.equal(s.validate.run, 'onType');
  assert.equal(s.validate.maxFileSizeMB, 10);
  assert.equal(s.profile.dialect, 'seed');
  assert.deepEqual(s.profile.files, ['a']);
  assert.deepEqual(s.profile.scriptFolders, []);
  assert.equal(readSettings({ validate: { maxFileSizeMB: 1e9 } }).validate.maxFileSizeMB, 512);
});

test("README's settings table names every family hooksmith.hooks.families takes", () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith('| `hooksmith.hooks.families`'));
  assert.ok(row, 'the row of hooksmith.hooks.families');
  const ids: string[] = pkg.contributes.configuration.properties['hooksmith.hooks.families'].additionalProperties.enum;
  assert.deepEqual(
    ids.filter((id) => !row.includes(`\`${id}\``)),
    [],
    'families the README row leaves out',
  );
});

test("maxFileSizeMB's description states the language server's own message limit, as the server enforces it", () => {
  const said = pkg.contributes.configuration.properties['hooksmith.validate.maxFileSizeMB'].markdownDescription as string;
  assert.match(said, new RegExp(`a document over ${maxMessageBytes / 1024 / 1024} MB never reaches the language server`));
});
