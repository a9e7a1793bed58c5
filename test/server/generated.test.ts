import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { allRules, ruleOf } from '../../server/src/diagnostics';
import { families } from '../../server/src/families/registry';
import { applyManifest } from '../../server/src/manifest';
import { rulesIndexMarkdown } from '../../server/src/ruleIndex';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

suite('what package.json and the docs take from the families and the rule records (npm run sync:manifest)', () => {
  test('package.json holds the generated activation events, commands, menus, task enums and settings', () => {
    assert.deepEqual(pkg, applyManifest(pkg));
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
    const clauses = Object.values<{ when?: string }[]>(pkg.contributes.menus).flat().map((m) => m.when ?? '');
    assert.deepEqual(clauses.filter((w) => w.includes('=~')), []);
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

test('nothing outside server/src/families/ names a family', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (rel === 'server/src/families') continue;
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|mjs)$/.test(e.name)) {
        const text = fs.readFileSync(full, 'utf8');
        for (const family of families) for (const line of mentions(text, family.id)) offenders.push(`${rel}: ${line.trim()}`);
      }
    }
  };
  for (const dir of ['server/src', 'client/src']) walk(path.join(root, dir));
  assert.deepEqual(offenders, []);
});
