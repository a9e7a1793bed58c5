import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules, ruleDocPath } from '../../server/src/diagnostics';

const rules = allRules();

const root = path.resolve(__dirname, '../../..');

test('every rule has a documentation page that names its code', () => {
  for (const rule of rules) {
    const page = path.join(root, ruleDocPath(rule.code));
    assert.ok(fs.existsSync(page), `${page} is missing`);
    assert.match(fs.readFileSync(page, 'utf8'), new RegExp(`^# ${rule.code}`), rule.code);
  }
});

test('rule codes are unique and well formed', () => {
  const codes = rules.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^HS\d{3}$/);
});
