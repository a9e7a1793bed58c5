import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { allRules, ruleOf } from '../../server/src/diagnostics';
import { families } from '../../server/src/families/registry';
import { applyManifest, protocolModule, protocolModulePath, snippetFiles } from '../../server/src/manifest';
import { documentLanguages, requestPathFields } from '../../server/src/protocol';
import { rulesIndexMarkdown } from '../../server/src/ruleIndex';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

suite('what package.json and the docs take from the families and the rule records (npm run sync:manifest)', () => {
  test('package.json holds the generated activation events, commands, menus, task enums and settings', () => {
    assert.deepEqual(pkg, applyManifest(pkg));
  });

  test("snippets/ holds exactly the files generated from the families' snippets, one per language, each one contributed", () => {
    const generated = snippetFiles();
    assert.deepEqual(fs.readdirSync(path.join(root, 'snippets')).sort(), generated.map((f) => path.basename(f.path)).sort());
    for (const f of generated)
      assert.equal(fs.readFileSync(path.join(root, f.path), 'utf8'), f.text, `${f.path}: run npm run sync:manifest`);
    assert.deepEqual(
      pkg.contributes.snippets,
      generated.map((f) => ({ language: f.language, path: `./${f.path}` })),
    );
    const perFamily = families.map((f) => (f.snippets ?? []).length);
    assert.equal(
      generated.reduce((n, f) => n + Object.keys(JSON.parse(f.text)).length, 0),
      perFamily.reduce((a, b) => a + b, 0),
      'every declared snippet is in a file',
    );
  });

  test("the shared protocol's generated module is the one the families give (document languages, request path fields)", () => {
    assert.equal(fs.readFileSync(path.join(root, protocolModulePath), 'utf8'), protocolModule(), 'run npm run sync:manifest');
    for (const family of families) {
      for (const language of family.files.languages) assert.ok(documentLanguages.includes(language), `${family.id}: ${language}`);
      const request = family.simulation?.request;
      if (request)
        assert.deepEqual(
          requestPathFields[request.kind],
          request.fields.filter((f) => f.type === 'path').map((f) => f.name),
        );
    }
    // A hook without a #! line or an extension opens as Plain Text: the client must still hand it over.
    assert.ok(documentLanguages.includes('plaintext'));
  });

  test("the task definition has a property for every family's request field, typed, with its values and the family's words", () => {
    const props = pkg.contributes.taskDefinitions[0].properties;
    const jsonType = { list: 'array', boolean: 'boolean', string: 'string', path: 'string', choice: 'string' } as const;
    for (const family of families) {
      const sim = family.simulation;
      for (const field of sim?.request.fields ?? []) {
        const p = props[field.name];
        assert.ok(p, `${family.id}: "${field.name}" is not a task property`);
        assert.equal(p.type, jsonType[field.type], `${family.id}: ${field.name}`);
        for (const v of field.values ?? []) assert.ok((p.items ?? p).enum.includes(v), `${field.name}: ${v}`);
        assert.ok(p.description.includes(`"${sim!.taskKinds[sim!.taskKinds.length - 1]}": ${field.doc}`), p.description);
      }
    }
    // What the last session's hand-written list lacked: wg-quick's config, nm's dir and stack, OpenVPN's operations and chain.
    for (const name of ['config', 'dir', 'stack', 'learnAddressOps', 'tlsChain']) assert.ok(props[name], name);
    assert.deepEqual(props.stack.enum, ['dual', 'ipv4']);
    assert.deepEqual(props.learnAddressOps.items.enum, ['add', 'update', 'delete']);
    assert.ok(!props.events.items.enum.includes('delete') && !props.command.enum.includes('dual'), 'each property has its own values');
  });

  test('docs/rules/index.md is the index generated from the rule records', () => {
    assert.equal(fs.readFileSync(path.join(root, 'docs/rules/index.md'), 'utf8'), rulesIndexMarkdown());
  });

  test('every family: its markers activate the extension, its id is in the hooks.families enum, its rules are in the index', () => {
    const ids = pkg.contributes.configuration.properties['hooksmith.hooks.families'].additionalProperties.enum;
    const index = rulesIndexMarkdown();
    for (const family of families) {
      assert.ok(ids.includes(family.id), family.id);
      for (const marker of family.files.markers) assert.ok(pkg.activationEvents.includes(`workspaceContains:${marker}`), marker);
      for (const rule of family.rules) assert.ok(index.includes(`| [${rule.code}](${rule.code}.md) | ${rule.title} |`), rule.code);
    }
  });

  test('menus show simulate commands by the context keys the server sets, not by patterns of file names', () => {
    const clauses = Object.values<{ when?: string }[]>(pkg.contributes.menus)
      .flat()
      .map((m) => m.when ?? '');
    assert.deepEqual(
      clauses.filter((w) => w.includes('=~')),
      [],
    );
  });
});

suite('rule records', () => {
  test('every rule code the sources report has exactly one record', () => {
    const codes = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (full.endsWith('.ts')) for (const m of fs.readFileSync(full, 'utf8').matchAll(/(?<![<>=] )'(HS\d{3})'/g)) codes.add(m[1]);
      }
    };
    walk(path.join(root, 'server/src'));
    for (const code of codes) assert.ok(ruleOf(code), `${code} is reported but has no record`);
    const all = allRules().map((r) => r.code);
    assert.equal(new Set(all).size, all.length, 'one record per code');
  });
});

/** The ids as a source would name them: in quotes, or as a folder of an import path. */
function mentions(text: string, id: string): string[] {
  return text.split('\n').filter((line) => new RegExp(`['"\`/]${id}\\b(?!-profile)`).test(line));
}

test('nothing outside server/src/families/ names a family: not the core, the client or the scripts', () => {
  const generated = new Set([protocolModulePath]);
  const offenders: string[] = [];
  let files = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (rel === 'server/src/families' || generated.has(rel)) continue;
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|mjs)$/.test(e.name)) {
        files++;
        const text = fs.readFileSync(full, 'utf8');
        for (const family of families) for (const line of mentions(text, family.id)) offenders.push(`${rel}: ${line.trim()}`);
      }
    }
  };
  for (const dir of ['server/src', 'client/src', 'scripts']) walk(path.join(root, dir));
  assert.ok(files > 100, `the walk read ${files} files`);
  assert.deepEqual(offenders, []);
});

test('the family-id grep sees the ways a source names a family', () => {
  for (const id of ['shorewall', 'wg-quick']) {
    assert.equal(mentions(`if (family.id === '${id}') {`, id).length, 1);
    assert.equal(mentions(`import { x } from './families/${id}/index';`, id).length, 1);
    assert.equal(mentions(`const cmds = ["ip", "${id}"];`, id).length, 1);
  }
  assert.deepEqual(mentions("const language = 'anyconnect-profile';", 'anyconnect'), [], 'the profile language is not the family');
});
