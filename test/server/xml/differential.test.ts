import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { scanXml } from '../../../server/src/xml/scanner';

const root = path.resolve(__dirname, '../../../..');
const seeds = [
  'examples/anyconnect/corporate.xml',
  'examples/minimal.xml',
  'examples/seed/seed-profile.xml',
  'examples/mistakes/copied-from-the-web.xml',
].map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
const alphabet = ['<', '>', '/', '"', "'", '=', '&', ';', '!', '?', '-', ' ', '\n', 'a', '\u00d7', '\u00e9', ':', '[', ']', '#', 'x', '1'];

/** A small deterministic generator (fixed seed), so a failure is reproducible. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

function mutate(text: string, rnd: (n: number) => number): string {
  let s = text;
  for (let m = 1 + rnd(3); m > 0; m--) {
    const i = rnd(s.length);
    const op = rnd(3);
    const ch = alphabet[rnd(alphabet.length)];
    if (op === 0) s = s.slice(0, i) + s.slice(i + 1 + rnd(5));
    else if (op === 1) s = s.slice(0, i) + ch + s.slice(i);
    else s = s.slice(0, i) + ch + s.slice(i + 1);
  }
  return s;
}

test("the scanner finds an error wherever fast-xml-parser's validator does (3,000 mutated profiles)", () => {
  const rnd = random(20261123);
  let fxpErrors = 0;
  const missed: string[] = [];
  for (let k = 0; k < 3000; k++) {
    const text = mutate(seeds[rnd(seeds.length)], rnd);
    const verdict = XMLValidator.validate(text);
    if (verdict === true) continue;
    fxpErrors++;
    if (scanXml(text).problems.length === 0) missed.push(`${verdict.err.msg}\n${text}`);
  }
  assert.ok(fxpErrors > 500, `the mutations produce malformed XML (${fxpErrors})`);
  assert.deepEqual(missed.slice(0, 3), []);
});

test('and more: what fast-xml-parser accepts but is not well-formed', () => {
  for (const text of ['<a/><b/>', '<a/>junk', '<a>&undefined;</a>', '<a><!-- x -- y --></a>', '<a/><?xml version="1.0"?>']) {
    assert.equal(XMLValidator.validate(text), true, text);
    assert.ok(scanXml(text).problems.length > 0, text);
  }
});
